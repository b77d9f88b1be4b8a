"""Unit tests of usercenter's pure rules: password hashes, WeChat payloads, nicknames."""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
from looklook.wechat.miniprogram import WxMiniError, decrypt_phone_number
from looklook_devtools.wxsandbox.miniprogram import encrypt_phone
from usercenter.logic import passwords
from usercenter.logic.wxmini_auth import wechat_nickname


def test_argon2_round_trip_and_no_rehash() -> None:
    stored = passwords.hash_password("s3cret")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password("s3cret", stored)
    assert not passwords.verify_password("other", stored)
    assert not passwords.needs_rehash(stored)


def test_legacy_md5_accepted_and_flagged_for_rehash() -> None:
    legacy = hashlib.md5(b"legacy123").hexdigest()  # noqa: S324
    assert passwords.verify_password("legacy123", legacy)
    assert not passwords.verify_password("legacy124", legacy)
    assert passwords.needs_rehash(legacy)


@pytest.mark.parametrize("password", ["", "x"])
def test_empty_stored_password_never_matches(password: str) -> None:
    assert passwords.hash_password("") == ""
    assert not passwords.verify_password(password, "")


def test_garbage_hash_is_a_mismatch_not_an_error() -> None:
    assert not passwords.verify_password("x", "$argon2id$broken")


def test_decrypt_phone_number() -> None:
    key = os.urandom(16)
    iv, data = encrypt_phone(key, "wxapp", "13812345678")
    session_key = base64.b64encode(key).decode()
    assert decrypt_phone_number(session_key, iv, data, "wxapp") == "13812345678"
    with pytest.raises(WxMiniError, match="watermark"):
        decrypt_phone_number(session_key, iv, data, "another-app")
    with pytest.raises(WxMiniError):
        decrypt_phone_number(base64.b64encode(os.urandom(16)).decode(), iv, data, "wxapp")
    with pytest.raises(WxMiniError):
        decrypt_phone_number(session_key, "!!", data, "wxapp")


def test_wechat_nickname() -> None:
    assert wechat_nickname("13812345678") == "LookLook5678"
    with pytest.raises(WxMiniError):
        wechat_nickname("123456")

"""WeChat Pay v3 primitives with freshly generated keys: RSA-SHA256 and AES-256-GCM."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from looklook.wechat.crypto import (
    WxPayCryptoError,
    decrypt_resource,
    encrypt_resource,
    load_private_key,
    load_public_key,
    message,
    sign,
    verify,
)

API_V3_KEY = "0123456789abcdef0123456789abcdef"


def _pems(key) -> tuple[str, str]:
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return _pems(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def test_message_ends_every_field_with_a_newline() -> None:
    assert message("POST", "/v3/x", "1700000000", "n", "{}") == b"POST\n/v3/x\n1700000000\nn\n{}\n"
    assert message() == b""


def test_sign_verify_round_trip(keys) -> None:
    private, public = keys
    msg = message("1700000000", "nonce", '{"a":1}')
    signature = sign(load_private_key(private), msg)
    assert len(base64.b64decode(signature)) == 256  # RSA-2048
    verify(load_public_key(public), msg, signature)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda msg, sig: (msg + b"x", sig),
        lambda msg, sig: (msg.replace(b"1", b"2", 1), sig),
        lambda msg, sig: (msg, sig[:-4] + ("AAAA" if sig[-4:] != "AAAA" else "BBBB")),
        lambda msg, sig: (msg, "not base64 !!"),
        lambda msg, sig: (msg, ""),
    ],
)
def test_tampered_message_or_signature_fails(keys, tamper) -> None:
    private, public = keys
    msg = message("1700000000", "nonce", '{"a":1}')
    bad_msg, bad_sig = tamper(msg, sign(load_private_key(private), msg))
    with pytest.raises(WxPayCryptoError):
        verify(load_public_key(public), bad_msg, bad_sig)


def test_other_key_does_not_verify(keys) -> None:
    private, _ = keys
    _, other_public = _pems(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    msg = message("x")
    with pytest.raises(WxPayCryptoError):
        verify(load_public_key(other_public), msg, sign(load_private_key(private), msg))


def test_bad_or_non_rsa_keys_are_refused(keys) -> None:
    ec_private, ec_public = _pems(ec.generate_private_key(ec.SECP256R1()))
    for bad in ("", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", ec_private):
        with pytest.raises(WxPayCryptoError):
            load_private_key(bad)
    for bad in ("garbage", keys[0].replace("PRIVATE", "PUBLIC"), ec_public):
        with pytest.raises(WxPayCryptoError):
            load_public_key(bad)


def test_aes_gcm_round_trip_and_resource_shape() -> None:
    plain = json.dumps({"out_trade_no": "PMT1", "trade_state": "SUCCESS"}).encode()
    res = encrypt_resource(API_V3_KEY, plain)
    assert res["algorithm"] == "AEAD_AES_256_GCM"
    assert res["associated_data"] == res["original_type"] == "transaction"
    assert len(res["nonce"]) == 12
    assert len(base64.b64decode(res["ciphertext"])) == len(plain) + 16  # tag appended
    assert decrypt_resource(API_V3_KEY, res["nonce"], "transaction", res["ciphertext"]) == plain


def test_two_encryptions_use_different_nonces() -> None:
    a, b = (encrypt_resource(API_V3_KEY, b"same") for _ in range(2))
    assert a["nonce"] != b["nonce"] and a["ciphertext"] != b["ciphertext"]


@pytest.mark.parametrize(
    ("key", "nonce", "ad", "ciphertext"),
    [
        (API_V3_KEY, None, "certificate", None),  # wrong associated_data
        (API_V3_KEY, "AAAAAAAAAAAA", "transaction", None),  # wrong nonce
        ("f" * 32, None, "transaction", None),  # wrong key
        (API_V3_KEY, None, "transaction", "flip"),  # tampered ciphertext
        (API_V3_KEY, None, "transaction", "%%%not-base64%%%"),
        (API_V3_KEY, None, "transaction", base64.b64encode(b"short").decode()),
        ("short key", None, "transaction", None),
    ],
)
def test_decrypt_refuses_anything_altered(key, nonce, ad, ciphertext) -> None:
    res = encrypt_resource(API_V3_KEY, b'{"x":1}')
    if ciphertext == "flip":
        raw = bytearray(base64.b64decode(res["ciphertext"]))
        raw[0] ^= 1
        ciphertext = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(WxPayCryptoError):
        decrypt_resource(key, nonce or res["nonce"], ad, ciphertext or res["ciphertext"])

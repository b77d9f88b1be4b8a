"""WeChat mini-program server API: configuration, ``jscode2session``, data decryption.

The ``wx_mini`` settings block is shared by usercenter-api, payment-api and mqueue-job
(keys.md), so it lives here. ``base_url`` points at the real WeChat API in production
and at the sandbox (tools/looklook_devtools/wxsandbox) locally.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

import aiohttp
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from pydantic import Field

from looklook.settings import ConfModel

__all__ = ["MiniSession", "WxMiniConf", "WxMiniError", "code2session", "decrypt_phone_number"]


class WxMiniConf(ConfModel):
    app_id: str = Field(min_length=1)
    secret: str = ""
    base_url: str = "https://api.weixin.qq.com"
    timeout_s: float = Field(default=5.0, gt=0)


class WxMiniError(Exception):
    """WeChat refused, was unreachable, or sent data that does not decrypt/validate."""


@dataclass(frozen=True)
class MiniSession:
    openid: str
    session_key: str
    unionid: str = ""


async def code2session(http: aiohttp.ClientSession, conf: WxMiniConf, code: str) -> MiniSession:
    """Exchange a ``wx.login`` code for openid + session key (``GET /sns/jscode2session``)."""
    url = conf.base_url.rstrip("/") + "/sns/jscode2session"
    params = {
        "appid": conf.app_id,
        "secret": conf.secret,
        "js_code": code,
        "grant_type": "authorization_code",
    }
    try:
        async with http.get(
            url, params=params, timeout=aiohttp.ClientTimeout(total=conf.timeout_s)
        ) as resp:
            # WeChat answers text/plain JSON; do not insist on the content type.
            body = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise WxMiniError(f"jscode2session: {exc!r}") from exc
    if not isinstance(body, dict):
        raise WxMiniError("jscode2session: response is not an object")
    if body.get("errcode") not in (None, 0):
        raise WxMiniError(f"jscode2session: errcode {body.get('errcode')} {body.get('errmsg')}")
    openid, session_key = body.get("openid"), body.get("session_key")
    if not isinstance(openid, str) or not openid or not isinstance(session_key, str):
        raise WxMiniError("jscode2session: no openid/session_key")
    unionid = body.get("unionid")
    return MiniSession(openid, session_key, unionid if isinstance(unionid, str) else "")


def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WxMiniError(f"{what} is not base64") from exc


def decrypt_phone_number(session_key: str, iv: str, encrypted_data: str, app_id: str) -> str:
    """``getPhoneNumber`` payload → phone number (AES-CBC, PKCS#7, watermark check)."""
    key, iv_bytes, cipher_text = (
        _b64(session_key, "session_key"),
        _b64(iv, "iv"),
        _b64(encrypted_data, "encryptedData"),
    )
    if len(key) not in (16, 24, 32) or len(iv_bytes) != 16 or not cipher_text:
        raise WxMiniError("bad key, iv or cipher text length")
    if len(cipher_text) % 16:
        raise WxMiniError("cipher text is not a whole number of blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv_bytes)).decryptor()
    padded = decryptor.update(cipher_text) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        plain = unpadder.update(padded) + unpadder.finalize()
        data = json.loads(plain)
    except ValueError as exc:
        raise WxMiniError("encryptedData does not decrypt to JSON") from exc
    if not isinstance(data, dict):
        raise WxMiniError("decrypted data is not an object")
    watermark = data.get("watermark")
    if not isinstance(watermark, dict) or watermark.get("appid") != app_id:
        raise WxMiniError("watermark appid mismatch")
    phone = data.get("phoneNumber")
    if not isinstance(phone, str):
        raise WxMiniError("no phoneNumber")
    return phone

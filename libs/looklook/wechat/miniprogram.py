"""WeChat mini-program server API: configuration, ``jscode2session``, data decryption,
the client-credential access token and subscribe messages.

The ``wx_mini`` settings block is shared by usercenter-api, payment-api and mqueue-job
(keys.md), so it lives here. ``base_url`` points at the real WeChat API in production
and at the sandbox (tools/looklook_devtools/wxsandbox) locally.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from pydantic import Field

from looklook.settings import ConfModel

__all__ = [
    "MiniSession",
    "WxMiniClient",
    "WxMiniConf",
    "WxMiniError",
    "code2session",
    "decrypt_phone_number",
    "miniprogram_state",
]

#: errcodes meaning "the access token is invalid or expired".
TOKEN_ERRCODES: Final = frozenset({40001, 40014, 42001})


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


async def _call(
    http: aiohttp.ClientSession, conf: WxMiniConf, method: str, path: str, **kw: Any
) -> dict[str, Any]:
    """One WeChat call; every transport, decode or shape problem becomes WxMiniError."""
    url = conf.base_url.rstrip("/") + path
    try:
        async with http.request(
            method, url, timeout=aiohttp.ClientTimeout(total=conf.timeout_s), **kw
        ) as resp:
            # WeChat answers text/plain JSON; do not insist on the content type.
            body = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise WxMiniError(f"wechat {path}: {exc!r}") from exc
    if not isinstance(body, dict):
        raise WxMiniError(f"wechat {path}: response is not an object")
    return body


def _errcode(body: dict[str, Any]) -> int:
    try:
        return int(body.get("errcode") or 0)
    except (TypeError, ValueError):
        return -1


async def code2session(http: aiohttp.ClientSession, conf: WxMiniConf, code: str) -> MiniSession:
    """Exchange a ``wx.login`` code for openid + session key (``GET /sns/jscode2session``)."""
    params = {
        "appid": conf.app_id,
        "secret": conf.secret,
        "js_code": code,
        "grant_type": "authorization_code",
    }
    body = await _call(http, conf, "GET", "/sns/jscode2session", params=params)
    if _errcode(body):
        raise WxMiniError(f"jscode2session: errcode {body.get('errcode')} {body.get('errmsg')}")
    openid, session_key = body.get("openid"), body.get("session_key")
    if not isinstance(openid, str) or not openid or not isinstance(session_key, str):
        raise WxMiniError("jscode2session: no openid/session_key")
    unionid = body.get("unionid")
    return MiniSession(openid, session_key, unionid if isinstance(unionid, str) else "")


def miniprogram_state(mode: str) -> str:
    """Subscribe-message ``miniprogram_state`` for a process ``mode``: only pro is formal."""
    return "formal" if mode == "pro" else "developer"


class WxMiniClient:
    """Server-side calls that need the app's access token (subscribe messages).

    The token is cached in process memory until five minutes before it expires, as
    upstream's SDK does; a token WeChat rejects is dropped so the next call refreshes it.
    """

    def __init__(self, http: aiohttp.ClientSession, conf: WxMiniConf) -> None:
        self.http = http
        self.conf = conf
        self._token = ""
        self._expires_at = 0.0

    async def access_token(self) -> str:
        """``GET /cgi-bin/token`` (client credential), cached."""
        if self._token and time.monotonic() < self._expires_at:
            return self._token
        params = {
            "grant_type": "client_credential",
            "appid": self.conf.app_id,
            "secret": self.conf.secret,
        }
        body = await _call(self.http, self.conf, "GET", "/cgi-bin/token", params=params)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise WxMiniError(f"token: errcode {body.get('errcode')} {body.get('errmsg')}")
        try:
            lifetime = int(body.get("expires_in") or 7200)
        except (TypeError, ValueError):
            lifetime = 7200
        self._token = token
        self._expires_at = time.monotonic() + max(lifetime - 300, 60)
        return token

    async def send_subscribe(
        self, openid: str, template_id: str, data: dict[str, str], *, state: str = "formal"
    ) -> None:
        """One ``subscribe/send`` attempt; raises WxMiniError unless WeChat said errcode 0."""
        token = await self.access_token()
        payload = {
            "touser": openid,
            "template_id": template_id,
            "page": "",
            "data": {key: {"value": value, "color": ""} for key, value in data.items()},
            "miniprogram_state": state,
            "lang": "",
        }
        body = await _call(
            self.http, self.conf, "POST", "/cgi-bin/message/subscribe/send",
            params={"access_token": token}, json=payload,
        )
        code = _errcode(body)
        if code in TOKEN_ERRCODES:
            self._token = ""
        if code:
            raise WxMiniError(f"subscribe send: errcode {code} {body.get('errmsg')}")


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

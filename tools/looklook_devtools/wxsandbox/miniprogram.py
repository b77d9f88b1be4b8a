"""Mini-program side of the sandbox: jscode2session, access tokens, subscribe messages.

The real flow starts on the phone: `wx.login` yields a one-time `code`, and
`getPhoneNumber` yields the phone number encrypted (AES-128-CBC) with the session key
that WeChat will hand the server for that code. `POST /sandbox/miniprogram/login` plays
the phone's part, so a test or the demo gets a `code`, `iv` and `encryptedData` that
decrypt, server side, exactly like the real thing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field

from aiohttp import web
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


@dataclass
class _Session:
    openid: str
    session_key: bytes


@dataclass
class MiniProgramState:
    """What the sandbox remembers between calls; in memory, a sandbox restart forgets it."""

    app_id: str
    app_secret: str
    codes: dict[str, _Session] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    messages: list[dict[str, object]] = field(default_factory=list)


STATE = web.AppKey("miniprogram_state", MiniProgramState)


def openid_for(phone: str) -> str:
    """A stable fake openid per phone, so the same 'person' keeps one WeChat identity."""
    return "o" + hashlib.sha256(phone.encode()).hexdigest()[:27]


def encrypt_phone(session_key: bytes, app_id: str, phone: str) -> tuple[str, str]:
    """`getPhoneNumber`'s payload: base64 (iv, ciphertext) of the JSON WeChat sends."""
    payload = json.dumps(
        {
            "phoneNumber": phone,
            "purePhoneNumber": phone,
            "countryCode": "86",
            "watermark": {"timestamp": int(time.time()), "appid": app_id},
        }
    ).encode()
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(payload) + padder.finalize()
    enc = Cipher(algorithms.AES(session_key), modes.CBC(iv)).encryptor()
    cipher = enc.update(plain) + enc.finalize()
    return base64.b64encode(iv).decode(), base64.b64encode(cipher).decode()


def _error(errcode: int, errmsg: str) -> web.Response:
    return web.json_response({"errcode": errcode, "errmsg": errmsg})


async def device_login(request: web.Request) -> web.Response:
    """Play the phone: body `{"phone": "138..."}` → `{"code", "iv", "encryptedData"}`."""
    state = request.app[STATE]
    try:
        body = await request.json()
        phone = str(body["phone"])
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": 'body must be JSON {"phone": "<digits>"}'}, status=400)
    code = secrets.token_hex(16)
    session = _Session(openid=openid_for(phone), session_key=os.urandom(16))
    state.codes[code] = session
    iv, encrypted = encrypt_phone(session.session_key, state.app_id, phone)
    return web.json_response(
        {"code": code, "iv": iv, "encryptedData": encrypted, "openid": session.openid}
    )


async def jscode2session(request: web.Request) -> web.Response:
    """`GET /sns/jscode2session`: one-time code → openid + session key."""
    state = request.app[STATE]
    q = request.query
    if q.get("appid") != state.app_id or q.get("secret") != state.app_secret:
        return _error(40013, "invalid appid or secret")
    if q.get("grant_type") != "authorization_code":
        return _error(40002, "invalid grant_type")
    session = state.codes.pop(q.get("js_code", ""), None)
    if session is None:
        return _error(40029, "invalid code")
    return web.json_response(
        {
            "openid": session.openid,
            "session_key": base64.b64encode(session.session_key).decode(),
            "unionid": "",
            "errcode": 0,
            "errmsg": "",
        }
    )


async def access_token(request: web.Request) -> web.Response:
    """`GET /cgi-bin/token`: client-credential access token."""
    state = request.app[STATE]
    q = request.query
    if q.get("appid") != state.app_id or q.get("secret") != state.app_secret:
        return _error(40013, "invalid appid or secret")
    token = secrets.token_urlsafe(24)
    state.tokens.add(token)
    return web.json_response({"access_token": token, "expires_in": 7200})


async def subscribe_send(request: web.Request) -> web.Response:
    """`POST /cgi-bin/message/subscribe/send`: record the message for later inspection."""
    state = request.app[STATE]
    if request.query.get("access_token") not in state.tokens:
        return _error(40001, "invalid credential, access_token is invalid or not latest")
    try:
        body = await request.json()
    except ValueError:
        return _error(47001, "data format error")
    if not isinstance(body, dict) or not body.get("touser") or not body.get("template_id"):
        return _error(47003, "argument invalid! touser and template_id are required")
    state.messages.append(body)
    return _error(0, "ok")


async def list_messages(request: web.Request) -> web.Response:
    """`GET /sandbox/miniprogram/messages[?touser=]`: what was 'sent' to phones."""
    state = request.app[STATE]
    touser = request.query.get("touser")
    found = [m for m in state.messages if touser is None or m.get("touser") == touser]
    return web.json_response({"messages": found})


def setup(app: web.Application, *, app_id: str, app_secret: str) -> None:
    app[STATE] = MiniProgramState(app_id=app_id, app_secret=app_secret)
    app.router.add_post("/sandbox/miniprogram/login", device_login)
    app.router.add_get("/sandbox/miniprogram/messages", list_messages)
    app.router.add_get("/sns/jscode2session", jscode2session)
    app.router.add_get("/cgi-bin/token", access_token)
    app.router.add_post("/cgi-bin/message/subscribe/send", subscribe_send)

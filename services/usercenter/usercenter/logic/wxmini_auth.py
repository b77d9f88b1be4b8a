"""usercenter-api ``wxMiniAuth`` (business-rules.md §1.5): WeChat login or registration.

Every failure is upstream's single ``wechat mini auth fail``. Fixed against upstream
(docs/compatibility.md): no JWT needed, a short phone number is a failure instead of a
crash, and the stored nickname is ``LookLook<last 4 digits>`` (the RPC now keeps it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiohttp
from looklook.errors import CodeError
from looklook.pb import pb
from looklook.wechat.miniprogram import WxMiniConf, WxMiniError, code2session, decrypt_phone_number

from usercenter.api import types
from usercenter.logic.userapi import token_resp
from usercenter.models import AUTH_TYPE_WX_MINI

__all__ = ["MSG_WX_FAIL", "WxMiniAuth", "wechat_nickname"]

log = logging.getLogger(__name__)

MSG_WX_FAIL = "wechat mini auth fail"
_MIN_PHONE_LEN = 7
_NICKNAME_PREFIX = "LookLook"


def wechat_nickname(phone: str) -> str:
    """``LookLook`` + the digits after the 7th (the last 4 of an 11-digit number)."""
    if len(phone) < _MIN_PHONE_LEN:
        raise WxMiniError(f"phone number too short ({len(phone)} chars)")
    return _NICKNAME_PREFIX + phone[_MIN_PHONE_LEN:]


@dataclass
class WxMiniAuth:
    rpc: pb.UsercenterStub
    http: aiohttp.ClientSession
    conf: WxMiniConf

    async def __call__(self, req: types.WXMiniAuthReq) -> types.TokenResp:
        try:
            return await self._auth(req)
        except Exception as exc:  # noqa: BLE001 - upstream reports every failure the same way
            log.warning("wechat mini auth failed: %r", exc)
            raise CodeError.of_msg(MSG_WX_FAIL) from exc

    async def _auth(self, req: types.WXMiniAuthReq) -> types.TokenResp:
        session = await code2session(self.http, self.conf, req.code)
        phone = decrypt_phone_number(
            session.session_key, req.iv, req.encryptedData, self.conf.app_id
        )
        found = await self.rpc.get_user_auth_by_auth_key(
            pb.GetUserAuthByAuthKeyReq(auth_key=session.openid, auth_type=AUTH_TYPE_WX_MINI)
        )
        auth = found.user_auth
        if auth is not None and auth.id != 0:
            return token_resp(
                await self.rpc.generate_token(pb.GenerateTokenReq(user_id=auth.user_id))
            )
        registered = await self.rpc.register(
            pb.RegisterReq(
                mobile=phone,
                nickname=wechat_nickname(phone),
                auth_key=session.openid,
                auth_type=AUTH_TYPE_WX_MINI,
            )
        )
        return token_resp(registered)

"""usercenter-api handlers: thin, bound request in → logic → response object out."""

from __future__ import annotations

from aiohttp import web
from looklook.settings import JwtConf
from looklook.web import InvalidTokenError, current_user_id, verify_token
from looklook.web.auth import token_from_header, user_id_from_claims

from usercenter.api import types
from usercenter.logic.userapi import UserApi
from usercenter.logic.wxmini_auth import WxMiniAuth

__all__ = [
    "AUTH_JWT",
    "USER_API",
    "WX_MINI_AUTH",
    "detail",
    "login",
    "register",
    "verify",
    "wx_mini_auth",
]

USER_API = web.AppKey("usercenter_user_api", UserApi)
WX_MINI_AUTH = web.AppKey("usercenter_wx_mini_auth", WxMiniAuth)
AUTH_JWT = web.AppKey("usercenter_auth_jwt", JwtConf)


async def register(request: web.Request, req: types.RegisterReq) -> types.TokenResp:
    return await request.app[USER_API].register(req)


async def login(request: web.Request, req: types.LoginReq) -> types.TokenResp:
    return await request.app[USER_API].login(req)


async def detail(request: web.Request, _: types.UserInfoReq) -> types.UserInfoResp:
    return await request.app[USER_API].detail(current_user_id(request))


async def wx_mini_auth(request: web.Request, req: types.WXMiniAuthReq) -> types.TokenResp:
    return await request.app[WX_MINI_AUTH](req)


async def verify(request: web.Request) -> web.Response:
    """The gateway's auth_request target: the same JWT check as protected routes.

    200 with ``X-User-Id`` and an empty body, or 401 with an empty body.
    """
    conf = request.app[AUTH_JWT]
    header = request.headers.get("Authorization", "")
    try:
        claims = verify_token(token_from_header(header), conf.access_secret)
    except InvalidTokenError:
        return web.Response(status=401)
    return web.Response(status=200, headers={"X-User-Id": str(user_id_from_claims(claims))})

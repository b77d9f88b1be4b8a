"""usercenter-api route table (http-api.md §5 #1-#4) and the gateway's token check."""

from __future__ import annotations

from typing import Final

from aiohttp import web
from looklook.web import Route

from usercenter.api import handlers, types

__all__ = ["VERIFY_PATH", "ROUTES", "add_verify_routes"]

PREFIX: Final = "/usercenter/v1"
VERIFY_PATH: Final = f"{PREFIX}/auth/verify"

ROUTES: Final = (
    Route(f"{PREFIX}/user/register", handlers.register, types.RegisterReq),
    Route(f"{PREFIX}/user/login", handlers.login, types.LoginReq),
    Route(f"{PREFIX}/user/detail", handlers.detail, types.UserInfoReq, auth="required"),
    # upstream requires a JWT on its own login entry point; we accept one, never demand it
    Route(f"{PREFIX}/user/wxMiniAuth", handlers.wx_mini_auth, types.WXMiniAuthReq, auth="optional"),
)


def add_verify_routes(app: web.Application) -> None:
    """``GET|POST /usercenter/v1/auth/verify`` (keys.md); nginx's auth_request uses GET."""
    app.router.add_route("GET", VERIFY_PATH, handlers.verify)
    app.router.add_route("POST", VERIFY_PATH, handlers.verify)

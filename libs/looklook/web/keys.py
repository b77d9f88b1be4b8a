"""Typed application and request keys shared by the web modules and handlers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from looklook.settings import HttpConf, JwtConf

__all__ = ["APP_NAME", "CLAIMS", "HTTP_CONF", "JWT_CONF", "USER_ID"]

APP_NAME = web.AppKey("looklook_app_name", str)
HTTP_CONF = web.AppKey("looklook_http_conf", HttpConf)
JWT_CONF = web.AppKey("looklook_jwt_conf", JwtConf)
#: User id from the JWT claim ``jwtUserId`` (0 when absent or not an int64).
USER_ID = web.RequestKey("looklook_user_id", int)
#: All verified claims, for handlers that need more than the user id.
CLAIMS = web.RequestKey("looklook_claims", dict[str, Any])

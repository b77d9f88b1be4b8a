"""Upstream's response envelope (``pkg/result``), serialised with Go JSON rules."""

from __future__ import annotations

from typing import Any, Final

from aiohttp import web

from looklook import gojson
from looklook.errors import OK, CodeError

__all__ = ["JSON_CONTENT_TYPE", "empty", "error_response", "ok_body", "ok_response"]

JSON_CONTENT_TYPE: Final = "application/json; charset=utf-8"


def ok_body(data: Any) -> bytes:
    """``{"code":200,"msg":"OK","data":...}``; ``data`` None gives ``null``."""
    return b'{"code":%d,"msg":"OK","data":%s}' % (OK, gojson.dumps(data))


def _json(body: bytes, status: int) -> web.Response:
    return web.Response(status=status, body=body, headers={"Content-Type": JSON_CONTENT_TYPE})


def ok_response(data: Any) -> web.Response:
    return _json(ok_body(data), 200)


def error_response(err: CodeError, status: int = 400) -> web.Response:
    """``{"code":C,"msg":M}`` — error bodies carry no ``data`` key."""
    return _json(gojson.dumps({"code": err.code, "msg": err.msg}), status)


def empty(status: int, headers: dict[str, str] | None = None) -> web.Response:
    """Bodiless framework responses (401, 405, 413, 503)."""
    return web.Response(status=status, headers=headers)

"""go-zero's REST middleware chain, outermost first.

tracing → access log → framework statuses (404/405/413) → metrics → max conns →
breaker → shedding → timeout → recover → max bytes; JWT and binding run per route.
Each factory returns an aiohttp middleware bound to one application's state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final

import aiohttp.typedefs
from aiohttp import web
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from looklook import metrics, tracing
from looklook.errors import GENERIC_MSG_FULLWIDTH, SERVER_COMMON_ERROR, CodeError
from looklook.resilience import Breaker, BreakerOpenError, LoadShedder, OverloadedError, Timeout
from looklook.settings import HttpConf
from looklook.web.auth import current_user_id
from looklook.web.binding import PayloadTooLargeError
from looklook.web.envelope import empty, error_response
from looklook.web.errors import map_exception

__all__ = [
    "access_log",
    "breaker_guard",
    "framework_statuses",
    "max_bytes",
    "max_conns",
    "prometheus",
    "recover",
    "route_path",
    "shedding",
    "timeout",
    "tracing_mw",
]

# aiohttp's own protocols, so a list of ours is what web.Application(middlewares=) takes.
Handler = aiohttp.typedefs.Handler
Middleware = aiohttp.typedefs.Middleware

NOT_FOUND_BODY: Final = b"404 page not found\n"
TIMEOUT_BODY: Final = "Request Timeout"
_TEXT: Final = "text/plain; charset=utf-8"

access_logger = logging.getLogger("looklook.access")
error_logger = logging.getLogger("looklook.web")


def route_path(request: web.Request) -> str | None:
    """The route's declared path (bounded metric label), None for unmatched requests."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else None


def tracing_mw() -> Middleware:
    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        ctx = tracing.extract(request.headers)
        name = route_path(request) or "HTTP " + request.method
        with tracing.get_tracer().start_as_current_span(
            name, context=ctx, kind=SpanKind.SERVER
        ) as span:
            span.set_attribute("http.request.method", request.method)
            span.set_attribute("url.path", request.path)
            resp = await handler(request)
            span.set_attribute("http.response.status_code", resp.status)
            if resp.status >= 500:
                span.set_status(Status(StatusCode.ERROR))
            if not resp.prepared:
                carrier: dict[str, str] = {}
                tracing.inject(carrier)
                resp.headers.update(carrier)
            return resp

    return mw


def access_log() -> Middleware:
    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        start = time.perf_counter()
        status = 500
        try:
            resp = await handler(request)
            status = resp.status
            return resp
        finally:
            ids = trace.get_current_span().get_span_context()
            access_logger.info(
                "%s %s %d",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 3),
                    "uid": current_user_id(request),
                    "trace": format(ids.trace_id, "032x") if ids.is_valid else "",
                    "remote": request.headers.get("X-Real-IP") or request.remote or "",
                },
            )

    return mw


def framework_statuses() -> Middleware:
    """Router and size errors in go-zero's shapes: 404 text, 405 empty + Allow, 413 empty."""

    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return web.Response(
                status=404,
                body=NOT_FOUND_BODY,
                headers={"Content-Type": _TEXT, "X-Content-Type-Options": "nosniff"},
            )
        except web.HTTPMethodNotAllowed as exc:
            return empty(405, {"Allow": exc.headers.get("Allow", "POST")})
        except (web.HTTPRequestEntityTooLarge, PayloadTooLargeError):
            return empty(413)
        except web.HTTPException as exc:
            return web.Response(status=exc.status, text=exc.text, headers=exc.headers)

    return mw


def prometheus() -> Middleware:
    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = route_path(request)
        if path is None:
            return await handler(request)
        start = time.perf_counter()
        status = 500
        try:
            resp = await handler(request)
            status = resp.status
            return resp
        finally:
            code = str(status)
            elapsed_ms = (time.perf_counter() - start) * 1000
            metrics.HTTP_SERVER_DURATION.labels(path, request.method, code).observe(elapsed_ms)
            metrics.HTTP_SERVER_CODE.labels(path, request.method, code).inc()

    return mw


def max_conns(limit: int) -> Middleware:
    """At most ``limit`` requests in flight (0 = unlimited), else 503."""
    flying = 0

    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        nonlocal flying
        if limit > 0 and flying >= limit:
            error_logger.warning("concurrent connections over %d, rejected with 503", limit)
            return empty(503)
        flying += 1
        try:
            return await handler(request)
        finally:
            flying -= 1

    return mw


def breaker_guard(make: Callable[[str], Breaker]) -> Middleware:
    """One adaptive breaker per route; 5xx responses count as failures."""
    breakers: dict[str, Breaker] = {}

    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = route_path(request)
        if path is None:
            return await handler(request)
        key = f"{request.method}://{path}"
        breaker = breakers.get(key) or breakers.setdefault(key, make(key))
        try:
            promise = breaker.allow()
        except BreakerOpenError:
            error_logger.warning("breaker open for %s, rejected with 503", key)
            return empty(503)
        try:
            resp = await handler(request)
        except BaseException:
            promise.reject()
            raise
        if resp.status >= 500:
            promise.reject()
        else:
            promise.accept()
        return resp

    return mw


def shedding(shedder: LoadShedder) -> Middleware:
    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            promise = shedder.allow()
        except OverloadedError:
            error_logger.warning("load shedding: dropped %s", request.path)
            return empty(503)
        try:
            resp = await handler(request)
        except BaseException:
            promise.fail()
            raise
        if resp.status == 503:
            promise.fail()
        else:
            promise.pass_()
        return resp

    return mw


def timeout(timeout_ms: int) -> Middleware:
    """Handler deadline; on expiry 503 ``Request Timeout`` (0 disables)."""

    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        if timeout_ms <= 0:
            return await handler(request)
        try:
            async with Timeout(timeout_ms):
                return await handler(request)
        except TimeoutError:
            return web.Response(
                status=503, body=TIMEOUT_BODY.encode(), headers={"Content-Type": _TEXT}
            )

    return mw


def recover() -> Middleware:
    """Business errors → 400 envelope; anything unexpected → logged, 500 generic envelope."""

    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except (web.HTTPException, PayloadTooLargeError):
            raise
        except Exception as exc:
            err = map_exception(exc)
            if err is not None:
                if err is not exc:
                    error_logger.info("mapped error on %s: %r", request.path, exc)
                return error_response(err)
            error_logger.exception("unhandled error on %s %s", request.method, request.path)
            return error_response(CodeError(SERVER_COMMON_ERROR, GENERIC_MSG_FULLWIDTH), 500)

    return mw


def max_bytes(conf: HttpConf) -> Middleware:
    async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
        length = request.content_length
        if length is not None and length > conf.max_bytes:
            return empty(413)
        return await handler(request)

    return mw

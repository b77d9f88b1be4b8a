"""Application builder: a route table in, a go-zero-shaped aiohttp app out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel

from looklook.resilience import Breaker, CpuSampler, LoadShedder
from looklook.settings import HttpConf, JwtConf
from looklook.web import middleware as mw
from looklook.web.auth import (
    InvalidTokenError,
    token_from_header,
    user_id_from_claims,
    verify_token,
)
from looklook.web.binding import RequestModel, bind
from looklook.web.envelope import empty, ok_response
from looklook.web.keys import APP_NAME, CLAIMS, HTTP_CONF, JWT_CONF, USER_ID

__all__ = ["Auth", "Route", "create_app", "run_http", "start_http"]

log = logging.getLogger("looklook.web")

Auth = Literal["none", "required", "optional"]
HandlerResult = BaseModel | dict[str, Any] | list[Any] | web.StreamResponse | None
RouteHandler = Callable[[web.Request, Any], Awaitable[HandlerResult]]
CleanupCtx = Callable[[web.Application], AsyncIterator[None]]


@dataclass(frozen=True, slots=True)
class Route:
    """One POST endpoint. ``request_model`` None passes ``None`` to the handler, which
    may then read the raw request itself (e.g. the WeChat Pay callback)."""

    path: str
    handler: RouteHandler
    request_model: type[RequestModel] | None = None
    auth: Auth = "none"


def _authenticate(request: web.Request, mode: Auth) -> bool:
    """Apply the route's JWT rule; False means answer 401."""
    if mode == "none":
        return True
    header = request.headers.get("Authorization")
    if header is None and mode == "optional":
        return True
    conf = request.app.get(JWT_CONF)
    if conf is None:
        raise RuntimeError(f"route {request.path} needs auth but the app has no jwt config")
    try:
        claims = verify_token(token_from_header(header or ""), conf.access_secret)
    except InvalidTokenError as exc:
        log.info("jwt rejected on %s: %s", request.path, exc)
        return False
    request[CLAIMS] = claims
    request[USER_ID] = user_id_from_claims(claims)
    return True


def _endpoint(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def endpoint(request: web.Request) -> web.StreamResponse:
        if not _authenticate(request, route.auth):
            return empty(401)
        req = await bind(request, route.request_model) if route.request_model else None
        result = await route.handler(request, req)
        if isinstance(result, web.StreamResponse):
            return result
        return ok_response(result)

    endpoint.__name__ = getattr(route.handler, "__name__", "endpoint")
    return endpoint


def _cpu_ctx(sampler: CpuSampler) -> CleanupCtx:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        sampler.start()
        yield
        await sampler.stop()

    return ctx


def create_app(
    *,
    name: str,
    http: HttpConf,
    routes: Sequence[Route],
    jwt: JwtConf | None = None,
    extra_cleanup_ctx: Sequence[CleanupCtx] = (),
    shedder: LoadShedder | None = None,
    breaker_factory: Callable[[str], Breaker] = Breaker,
) -> web.Application:
    """Build the app with go-zero's middleware chain and one POST route per entry.

    ``shedder`` defaults to a CPU-sampling LoadShedder at ``http.cpu_threshold``
    (disabled when the threshold is 0); tests inject their own.
    """
    if jwt is None and any(r.auth != "none" for r in routes):
        raise ValueError(f"{name}: routes with auth need a JwtConf")
    cleanup: list[CleanupCtx] = []
    if shedder is None and http.cpu_threshold > 0:
        sampler = CpuSampler()
        shedder = LoadShedder(http.cpu_threshold, cpu_usage=lambda: sampler.usage)
        cleanup.append(_cpu_ctx(sampler))
    chain: list[mw.Middleware] = [
        mw.tracing_mw(),
        mw.access_log(),
        mw.framework_statuses(),
        mw.prometheus(),
        mw.max_conns(http.max_conns),
        mw.breaker_guard(breaker_factory),
    ]
    if shedder is not None:
        chain.append(mw.shedding(shedder))
    chain += [mw.timeout(http.timeout_ms), mw.recover(), mw.max_bytes(http)]
    app = web.Application(
        middlewares=[web.middleware(m) for m in chain],
        client_max_size=http.max_bytes,
    )
    app[APP_NAME] = name
    app[HTTP_CONF] = http
    if jwt is not None:
        app[JWT_CONF] = jwt
    for route in routes:
        app.router.add_route("POST", route.path, _endpoint(route))
    app.cleanup_ctx.extend(cleanup)
    app.cleanup_ctx.extend(extra_cleanup_ctx)
    return app


async def start_http(
    app: web.Application, http: HttpConf, *, shutdown_timeout: float = 10.0
) -> web.AppRunner:
    """Start serving ``app`` on ``http.host:http.port``; ``await runner.cleanup()`` stops
    accepting, lets in-flight requests finish for ``shutdown_timeout`` s, then runs the
    app's cleanup contexts."""
    runner = web.AppRunner(
        app, access_log=None, handle_signals=False, shutdown_timeout=shutdown_timeout
    )
    await runner.setup()
    site = web.TCPSite(runner, http.host, http.port, reuse_address=True)
    await site.start()
    log.info("http server %s listening on %s:%d", app.get(APP_NAME, ""), http.host, http.port)
    return runner


async def run_http(
    app: web.Application,
    http: HttpConf,
    *,
    stop: asyncio.Event | None = None,
    shutdown_timeout: float = 10.0,
) -> None:
    """Serve until ``stop`` is set (or the task is cancelled), then shut down gracefully."""
    runner = await start_http(app, http, shutdown_timeout=shutdown_timeout)
    try:
        await (stop.wait() if stop is not None else asyncio.Event().wait())
    finally:
        await runner.cleanup()

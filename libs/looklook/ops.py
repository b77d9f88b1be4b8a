"""The ops HTTP server every process runs: ``/metrics``, ``/healthz``, ``/readyz``.

Liveness only says the event loop answers; readiness runs the caller's checks (MySQL,
Redis, peers...) with a 1 s timeout each so Kubernetes stops routing to a replica whose
dependencies are down without restarting it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Final

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from looklook import gojson
from looklook import metrics as _metrics  # noqa: F401  (register upstream's families)
from looklook.settings import OpsConf

__all__ = ["Check", "OpsServer", "run_checks"]

Check = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_S: Final = 1.0
log = logging.getLogger("looklook.ops")


def _named(readiness: Mapping[str, Check] | Sequence[Check]) -> dict[str, Check]:
    if isinstance(readiness, Mapping):
        return dict(readiness)
    return {getattr(c, "__name__", f"check{i}"): c for i, c in enumerate(readiness)}


async def _run_one(check: Check, timeout_s: float) -> str | None:
    try:
        async with asyncio.timeout(timeout_s):
            await check()
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # a failing check must never take the server down
        return f"{type(exc).__name__}: {exc}"
    return None


async def run_checks(
    checks: Mapping[str, Check], timeout_s: float = CHECK_TIMEOUT_S
) -> dict[str, str]:
    """Run all checks concurrently; returns ``{name: reason}`` for the failed ones."""
    names = list(checks)
    results = await asyncio.gather(*(_run_one(checks[n], timeout_s) for n in names))
    return {n: r for n, r in zip(names, results, strict=True) if r is not None}


class OpsServer:
    """``OpsServer(conf, {"mysql": ping_mysql, "redis": ping_redis})``; start()/stop()."""

    def __init__(
        self,
        conf: OpsConf,
        readiness: Mapping[str, Check] | Sequence[Check] = (),
        *,
        registry: CollectorRegistry = REGISTRY,
        check_timeout_s: float = CHECK_TIMEOUT_S,
    ) -> None:
        self.conf = conf
        self.checks = _named(readiness)
        self.registry = registry
        self.check_timeout_s = check_timeout_s
        self._runner: web.AppRunner | None = None

    def add_check(self, name: str, check: Check) -> None:
        self.checks[name] = check

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        return app

    async def _metrics(self, request: web.Request) -> web.Response:
        body = await asyncio.to_thread(generate_latest, self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def _readyz(self, request: web.Request) -> web.Response:
        failed = await run_checks(self.checks, self.check_timeout_s)
        if failed:
            log.warning("not ready: %s", failed)
            body = gojson.dumps({"status": "not ready", "failed": failed})
            return web.Response(status=503, body=body, content_type="application/json")
        return web.Response(body=b'{"status":"ready"}', content_type="application/json")

    @property
    def port(self) -> int:
        """The bound port (useful with ``port`` 0 in tests)."""
        if self._runner is None or not self._runner.addresses:
            return self.conf.port
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, self.conf.host, self.conf.port, reuse_address=True).start()
        self._runner = runner
        log.info("ops server on %s:%d", self.conf.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> OpsServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

"""taskiq-dashboard (where upstream runs asynqmon) served inside our process lifecycle.

``TaskiqDashboard.run()`` gives no way to stop its server: the only way out is to cancel
it, which kills granian's worker mid-lifespan (no broker shutdown, an "unexpected exit"
traceback) and leaves the process unaware when the server dies on its own. So we build
the dashboard's ASGI app and run it under granian's embedded server ourselves: shutdown
calls ``Server.stop()`` and waits for a clean lifespan shutdown, and a server that stops
by itself fails the process instead of leaving it "ready" with nothing listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
from granian.constants import Interfaces
from granian.server.embed import Server
from granian.utils.proxies import wrap_asgi_with_proxy_headers
from taskiq import AsyncBroker, TaskiqScheduler

from mqueue.config import DashboardConf

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0


class DashboardStoppedError(RuntimeError):
    """The dashboard's web server exited although nobody asked it to."""


def dashboard_app(conf: DashboardConf, broker: AsyncBroker, scheduler: TaskiqScheduler) -> Any:
    """The dashboard's ASGI app; the import is here because it is slow and only this
    process needs it."""
    from taskiq_dashboard import TaskiqDashboard

    dashboard = TaskiqDashboard(
        api_token=conf.api_token,
        database_dsn=conf.database_dsn,
        broker=broker,
        scheduler=scheduler,
    )
    return dashboard.application


class DashboardServer:
    """An ASGI app on granian's embedded server, stoppable from our lifecycle."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._server = Server(
            wrap_asgi_with_proxy_headers(app, trusted_hosts="*"),
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            log_access=False,
        )

    async def serve(self) -> None:
        """Serve until cancelled, then stop gracefully; raise if the server quits first."""
        task = asyncio.create_task(self._server.serve(), name="dashboard-server")
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            await self._stop(task)
            raise
        raise DashboardStoppedError(f"dashboard server on port {self.port} exited")

    async def _stop(self, task: asyncio.Task[None]) -> None:
        self._server.stop()
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT_S)
        except TimeoutError:
            log.warning("dashboard server did not stop in %.0fs, cancelling", STOP_TIMEOUT_S)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def ping(self) -> None:
        """Readiness: the dashboard page answers 200."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        timeout = aiohttp.ClientTimeout(total=1.0)
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.get(f"http://{host}:{self.port}/") as resp,
        ):
            if resp.status != 200:
                raise RuntimeError(f"dashboard answered {resp.status}")

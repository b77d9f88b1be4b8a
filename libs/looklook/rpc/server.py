"""The gRPC server of an RPC process: our services plus Health (and reflection in dev/test)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from grpclib.health.check import ServiceStatus
from grpclib.health.service import OVERALL, Health
from grpclib.reflection.service import ServerReflection
from grpclib.server import Server

from looklook.settings import RpcServerConf

from .reflection import descriptor_pool
from .server_events import ServerInterceptors

log = logging.getLogger("looklook.rpc.server")

REFLECTION_MODES = frozenset({"dev", "test"})
CLOSE_TIMEOUT_S = 1.0


class RpcServer:
    """A started-on-demand grpclib server with graceful stop.

    ``stop(grace)`` first reports NOT_SERVING on grpc.health.v1, waits up to ``grace``
    seconds for in-flight calls, then closes connections (cancelling what is left).
    """

    def __init__(
        self,
        services: Sequence[object],
        *,
        name: str,
        conf: RpcServerConf,
        mode: str = "pro",
    ) -> None:
        self.name = name
        self.conf = conf
        self.serving = ServiceStatus()
        self.serving.set(True)
        checks: dict[Any, list[ServiceStatus]] = {svc: [self.serving] for svc in services}
        checks[OVERALL] = [self.serving]
        handlers: list[Any] = [*services, Health(checks)]
        if mode in REFLECTION_MODES:
            handlers = ServerReflection.extend(handlers, pool=descriptor_pool())
        #: Everything served, ours plus Health (and reflection in dev/test).
        self.handlers: tuple[Any, ...] = tuple(handlers)
        self._server = Server(handlers)
        self._events = ServerInterceptors(timeout_ms=conf.timeout_ms)
        self._events.attach(self._server)
        self._started = False
        self.port: int | None = None

    async def start(self) -> None:
        await self._server.start(self.conf.host, self.conf.port)
        self._started = True
        self.port = self.conf.port
        log.info("rpc server %s listening on %s:%d", self.name, self.conf.host, self.port)

    async def stop(self, grace: float = 5.0) -> None:
        if not self._started:
            return
        self._started = False
        self.serving.set(False)
        try:
            await asyncio.wait_for(self._events.idle.wait(), timeout=max(grace, 0.0))
        except TimeoutError:
            log.warning("rpc server %s: grace period over, cancelling in-flight calls", self.name)
        self._server.close()
        # Python 3.12's Server.wait_closed also waits for idle client connections to
        # go away, which peers with pooled channels never do; do not hang on them.
        try:
            await asyncio.wait_for(self._server.wait_closed(), timeout=CLOSE_TIMEOUT_S)
        except TimeoutError:
            log.info("rpc server %s: idle client connections left open", self.name)
        log.info("rpc server %s stopped", self.name)


def create_rpc_server(
    services: Sequence[object],
    *,
    name: str,
    conf: RpcServerConf,
    mode: str = "pro",
) -> RpcServer:
    """Build (not start) the server; ``mode`` is the process's ``mode`` (reflection in dev/test)."""
    return RpcServer(services, name=name, conf=conf, mode=mode)

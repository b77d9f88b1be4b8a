"""Wiring one service process from its settings: what every ``main.py`` would repeat.

A service describes only *what* its process is made of::

    async def build_api(proc: Process) -> web.Application:
        rpc = proc.rpc_client(pb.UsercenterStub, proc.settings.usercenter_rpc)
        return create_app(name=..., http=..., routes=ROUTES)

    cli("usercenter", api=ApiProcess(ApiSettings, "api", build_api), ...)

and this module does the rest the same way everywhere: logging, tracing, the ops server
with MySQL/Redis readiness for the resources the process opened, graceful shutdown in
reverse order (stop serving first, then close clients and pools), and the
``looklook-<svc> <process> [-f CONFIG]`` / ``migrate`` command line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import aiohttp
from aiohttp import web
from betterproto.grpc.grpclib_client import ServiceStub

from looklook.data import Cache, Database, create_cache, create_database
from looklook.data.migrate import migrate
from looklook.lifecycle import Lifecycle, run_process
from looklook.logs import setup_logging
from looklook.ops import Check, OpsServer
from looklook.rpc import close_client, create_rpc_server, http_error_mapper, rpc_client
from looklook.settings import (
    ConfigError,
    HttpConf,
    MySQLConf,
    ProcessSettings,
    RedisConf,
    RpcClientConf,
    RpcServerConf,
    load_settings,
)
from looklook.tracing import setup_tracing
from looklook.web import register_error_mapper, start_http

__all__ = ["ApiProcess", "Process", "RpcProcess", "WorkerProcess", "cli", "run_migrate"]


class Process:
    """The resources one process opened; each is closed at shutdown and, for MySQL and
    Redis, checked by ``/readyz``."""

    def __init__(self, settings: Any, lc: Lifecycle, *, cache_namespace: str = "") -> None:
        self.settings = settings
        self.lc = lc
        self.readiness: dict[str, Check] = {}
        self._cache_namespace = cache_namespace

    async def database(self, conf: MySQLConf) -> Database:
        db = await create_database(conf)
        self.lc.on_close(db.close)
        self.readiness["mysql"] = db.ping
        return db

    async def cache(self, conf: RedisConf) -> Cache:
        cache = await create_cache(conf, namespace=self._cache_namespace)
        self.lc.on_close(cache.close)
        self.readiness["redis"] = cache.ping
        return cache

    def rpc_client[S: ServiceStub](self, stub_cls: type[S], conf: RpcClientConf) -> S:
        client = rpc_client(stub_cls, conf)

        async def close() -> None:
            close_client(client)

        self.lc.on_close(close)
        return client

    async def http_client(self) -> aiohttp.ClientSession:
        """An outbound HTTP client (e.g. WeChat); per-call timeouts are the caller's."""
        session = aiohttp.ClientSession()
        self.lc.on_close(session.close)
        return session


def _observability(settings: ProcessSettings, lc: Lifecycle) -> None:
    provider = setup_tracing(settings.name, settings.telemetry)

    async def flush() -> None:
        await asyncio.to_thread(provider.shutdown)

    lc.on_close(flush)


async def _start_ops(proc: Process) -> None:
    ops = OpsServer(proc.settings.ops, proc.readiness)
    await ops.start()
    proc.lc.on_close(ops.stop)


@dataclass(frozen=True)
class ApiProcess:
    """An HTTP API process: ``build`` returns the aiohttp app (see looklook.web)."""

    settings_type: type[ProcessSettings]
    section: str  # the HttpConf attribute of the settings, e.g. "api"
    build: Callable[[Process], Awaitable[web.Application]]

    async def main(self, settings: Any, lc: Lifecycle, *, cache_namespace: str = "") -> None:
        """Run until ``lc.shutdown``; tests call this directly inside their loop."""
        register_error_mapper(http_error_mapper)
        proc = Process(settings, lc, cache_namespace=cache_namespace)
        app = await self.build(proc)
        http: HttpConf = getattr(settings, self.section)
        await _start_ops(proc)
        runner = await start_http(app, http, shutdown_timeout=settings.shutdown_grace_s)
        lc.on_close(runner.cleanup)  # closed first: stop taking requests, then clients
        await lc.wait()


@dataclass(frozen=True)
class RpcProcess:
    """A gRPC process: ``build`` returns the servicers (pb ``*Base`` implementations)."""

    settings_type: type[ProcessSettings]
    section: str  # the RpcServerConf attribute, e.g. "rpc"
    build: Callable[[Process], Awaitable[Sequence[object]]]

    async def main(self, settings: Any, lc: Lifecycle, *, cache_namespace: str = "") -> None:
        proc = Process(settings, lc, cache_namespace=cache_namespace)
        services = await self.build(proc)
        conf: RpcServerConf = getattr(settings, self.section)
        server = create_rpc_server(services, name=settings.name, conf=conf, mode=settings.mode)
        await _start_ops(proc)
        await server.start()

        async def stop() -> None:
            await server.stop(settings.shutdown_grace_s)

        lc.on_close(stop)
        await lc.wait()


@dataclass(frozen=True)
class WorkerProcess:
    """A process without a listener (e.g. a Kafka consumer): ``build`` starts its
    background work and registers how to stop it on ``proc.lc``; the process then only
    serves its ops port until shutdown."""

    settings_type: type[ProcessSettings]
    build: Callable[[Process], Awaitable[None]]

    async def main(self, settings: Any, lc: Lifecycle, *, cache_namespace: str = "") -> None:
        proc = Process(settings, lc, cache_namespace=cache_namespace)
        await self.build(proc)
        await _start_ops(proc)
        await lc.wait()


class AnyProcess(Protocol):
    """What `cli` runs: a settings model and a `main` that serves until shutdown.
    ApiProcess, RpcProcess and WorkerProcess are the usual ones; a service with its own
    serving loop (mqueue's taskiq processes) provides the same two attributes."""

    @property
    def settings_type(self) -> type[ProcessSettings]: ...

    @property
    def main(self) -> Callable[[Any, Lifecycle], Awaitable[None]]: ...


def _run(process: AnyProcess, config: Path) -> int:
    settings = load_settings(process.settings_type, config)
    setup_logging(settings.name, settings.log.level)

    async def main(lc: Lifecycle) -> None:
        _observability(settings, lc)
        await process.main(settings, lc)

    return run_process(main, grace_s=settings.shutdown_grace_s + 5)


class _MigrateSettings(ProcessSettings):
    mysql: MySQLConf
    ops: Any = None  # the migrate job serves no ops port


def run_migrate(migrations: Path, config: Path) -> int:
    """Apply ``migrations`` to the configured database (idempotent)."""
    settings = load_settings(_MigrateSettings, config)
    setup_logging(settings.name, settings.log.level)
    applied = asyncio.run(migrate(settings.mysql, migrations))
    print(f"{settings.mysql.database}: applied {applied or 'nothing (up to date)'}")
    return 0


def cli(
    service: str,
    *,
    default_config: Path,
    processes: Mapping[str, AnyProcess],
    migrations: Path | None = None,
    argv: Sequence[str] | None = None,
) -> None:
    """``looklook-<service> <process>|migrate [-f CONFIG]``; exits with the status."""
    choices = [*processes, *(["migrate"] if migrations is not None else [])]
    parser = argparse.ArgumentParser(prog=f"looklook-{service}")
    parser.add_argument("process", choices=choices)
    parser.add_argument("-f", "--config", type=Path, default=default_config)
    args = parser.parse_args(argv)
    try:
        if args.process == "migrate":
            assert migrations is not None
            status = run_migrate(migrations, args.config)
        else:
            status = _run(processes[args.process], args.config)
    except ConfigError as exc:
        print(f"looklook-{service}: {exc}", file=sys.stderr)
        status = 2
    sys.exit(status)

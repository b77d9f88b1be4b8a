"""Helpers for tests that run real service processes inside the test's event loop.

``running(process, settings)`` starts an :class:`~looklook.service.ApiProcess` or
:class:`~looklook.service.RpcProcess` exactly as ``looklook-<svc> <process>`` would
(real sockets, ops server, readiness), waits for ``/readyz``, and shuts it down
gracefully on exit. ``grpcio_unary`` calls a method with stock grpcio, the way a
non-Python (or non-grpclib) client would. ``grpc_server`` serves small in-test grpclib
servicers (stand-ins for a peer service) on a free port; ``serve_app`` does the same for
aiohttp applications (the WeChat sandbox, HTTP stand-ins).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import aiohttp.web

from looklook.lifecycle import Lifecycle, serve
from looklook.service import ApiProcess, RpcProcess, WorkerProcess

if TYPE_CHECKING:
    import grpc
    from pydantic import BaseModel

__all__ = [
    "free_port",
    "grpc_server",
    "grpcio_unary",
    "running",
    "process_settings",
    "serve_app",
]


def shared_dir(*parts: str) -> Path:
    """A path in the workspace's read-only `shared/` folder (upstream's SQL dumps, offline
    schemas), which sits beside the checkout rather than in it.

    `LOOKLOOK_SHARED_DIR` wins; else the nearest `shared/` beside this checkout or one of
    its parents (CI lays it beside the clone); else `/work/shared`.
    """
    if configured := os.environ.get("LOOKLOOK_SHARED_DIR"):
        return Path(configured, *parts)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared"
        if candidate.joinpath(*parts).exists():
            return candidate.joinpath(*parts)
    return Path("/work/shared", *parts)


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_ready(port: int, task: asyncio.Task[None], timeout_s: float) -> None:
    url = f"http://127.0.0.1:{port}/readyz"
    deadline = asyncio.get_running_loop().time() + timeout_s
    async with aiohttp.ClientSession() as http:
        while True:
            if task.done():
                task.result()  # re-raise the start-up failure
                raise RuntimeError("process exited before it was ready")
            with contextlib.suppress(aiohttp.ClientError, OSError):
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{url} not ready after {timeout_s}s")
            await asyncio.sleep(0.05)


@asynccontextmanager
async def running(
    process: ApiProcess | RpcProcess | WorkerProcess,
    settings: Any,
    *,
    cache_namespace: str = "",
    ready_timeout_s: float = 10.0,
) -> AsyncIterator[Lifecycle]:
    """Run ``process`` with ``settings`` until the block ends."""
    lc = Lifecycle(grace_s=2.0)

    async def main(lc_: Lifecycle) -> None:
        await process.main(settings, lc_, cache_namespace=cache_namespace)

    task = asyncio.create_task(serve(main, lc), name=f"{settings.name}-process")
    try:
        await _wait_ready(settings.ops.port, task, ready_timeout_s)
        yield lc
    finally:
        lc.request_shutdown()
        await task


@asynccontextmanager
async def grpc_server(*services: Any) -> AsyncIterator[str]:
    """Serve grpclib ``services`` on 127.0.0.1; yields the ``host:port`` endpoint."""
    from grpclib.server import Server

    server = Server(list(services))
    port = free_port()
    await server.start("127.0.0.1", port)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def serve_app(app: aiohttp.web.Application) -> AsyncIterator[str]:
    """Serve an aiohttp ``app`` (a sandbox or stand-in peer) on 127.0.0.1; yields its base URL."""
    runner = aiohttp.web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await aiohttp.web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def grpcio_unary(
    endpoint: str, method: str, request: bytes, *, timeout_s: float = 3.0
) -> tuple[grpc.StatusCode, bytes | None, str]:
    """Call ``method`` (e.g. ``/pb.usercenter/getUserInfo``) with grpcio's generic
    ``unary_unary``: returns ``(grpc.StatusCode, response bytes or None, details)``."""
    import grpc  # test-only dependency (grpcio comes with grpcio-tools)

    async with grpc.aio.insecure_channel(endpoint) as channel:
        # No (de)serializers: requests and responses stay raw bytes.
        call: grpc.aio.UnaryUnaryMultiCallable[bytes, bytes] = channel.unary_unary(method)
        try:
            response = await call(request, timeout=timeout_s)
        except grpc.aio.AioRpcError as exc:
            return exc.code(), None, exc.details() or ""
        return grpc.StatusCode.OK, response, ""


def process_settings[T: BaseModel](model: type[T], *, name: str, **sections: Any) -> T:
    """``model`` for a test process: mode ``test``, a free ops port, ``sections`` as given."""
    from looklook.settings import OpsConf

    return model.model_validate(
        {
            "name": name,
            "mode": "test",
            "ops": OpsConf(host="127.0.0.1", port=free_port()),
            "shutdown_grace_s": 1.0,
            **sections,
        }
    )

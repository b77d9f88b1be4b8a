"""Ops server, process lifecycle, JSON logs and trace propagation helpers."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
from looklook import tracing
from looklook.lifecycle import Lifecycle, serve
from looklook.logs import setup_logging
from looklook.ops import OpsServer, run_checks
from looklook.settings import OpsConf
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_ops_endpoints() -> None:
    calls: list[str] = []

    async def mysql() -> None:
        calls.append("mysql")

    async def redis() -> None:
        raise ConnectionError("redis down")

    async def hangs() -> None:
        await asyncio.Event().wait()

    conf = OpsConf(host="127.0.0.1", port=_free_port())
    ops = OpsServer(conf, {"mysql": mysql}, check_timeout_s=0.05)
    async with ops, aiohttp.ClientSession() as s:
        base = f"http://127.0.0.1:{ops.port}"
        resp = await s.get(base + "/healthz")
        assert (resp.status, await resp.text()) == (200, "ok")
        resp = await s.get(base + "/readyz")
        assert (resp.status, await resp.read()) == (200, b'{"status":"ready"}')
        assert calls == ["mysql"]
        ops.add_check("redis", redis)
        ops.add_check("peer", hangs)
        resp = await s.get(base + "/readyz")
        assert resp.status == 503
        body = await resp.json()
        assert body["status"] == "not ready"
        assert body["failed"] == {"redis": "ConnectionError: redis down", "peer": "timeout"}
        text = await (await s.get(base + "/metrics")).text()
        for family in (
            "http_server_requests_duration_ms",
            "rpc_server_requests_code_total",
            "sql_client_requests_slow_total",
            "redis_client_requests_duration_ms",
        ):
            assert f"# TYPE {family.removesuffix('_total')}" in text


async def test_run_checks_accepts_empty() -> None:
    assert await run_checks({}) == {}


async def test_lifecycle_closes_in_reverse_order_on_shutdown() -> None:
    order: list[str] = []
    lc = Lifecycle(grace_s=1.0)

    async def main(lc: Lifecycle) -> None:
        for name in ("pool", "client", "server"):
            lc.on_close(lambda n=name: _record(order, n))
        await lc.wait()
        order.append("main returned")

    runner = asyncio.create_task(serve(main, lc))
    await asyncio.sleep(0)
    lc.request_shutdown()
    await asyncio.wait_for(runner, 2)
    assert order == ["main returned", "server", "client", "pool"]


async def _record(order: list[str], name: str) -> None:
    order.append(name)


async def test_lifecycle_cancels_main_after_grace() -> None:
    cancelled = asyncio.Event()
    lc = Lifecycle(grace_s=0.01)

    async def stubborn() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    runner = asyncio.create_task(serve(stubborn, lc))
    await asyncio.sleep(0)
    lc.request_shutdown()
    await asyncio.wait_for(runner, 2)
    assert cancelled.is_set()


async def test_lifecycle_async_generator_app() -> None:
    events: list[str] = []
    started = asyncio.Event()
    lc = Lifecycle()

    async def app(lc: Lifecycle) -> AsyncIterator[None]:
        events.append("up")
        started.set()
        yield
        events.append("down")

    runner = asyncio.create_task(serve(app, lc))
    await started.wait()
    lc.request_shutdown()
    await asyncio.wait_for(runner, 2)
    assert events == ["up", "down"]


def test_run_process_handles_sigterm(tmp_path: object) -> None:
    script = textwrap.dedent(
        """
        import asyncio, sys
        from looklook.lifecycle import run_process

        async def main(lc):
            lc.on_close(closed)
            print("ready", flush=True)
            await lc.wait()

        async def closed():
            print("closed", flush=True)

        sys.exit(run_process(main, grace_s=1))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert out.strip() == "closed"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_logs_with_trace_ids(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    setup_logging("order-api", "info")
    log = logging.getLogger("looklook.test")
    ctx = SpanContext(0x1234, 0x99, is_remote=False, trace_flags=TraceFlags(1))
    with trace.use_span(NonRecordingSpan(ctx)):
        log.info("paid %s", "HSO1", extra={"order_sn": "HSO1", "amount": 8850})
    log.debug("hidden")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert first["msg"] == "paid HSO1" and first["level"] == "info"
    assert first["service"] == "order-api"
    assert first["trace_id"] == format(0x1234, "032x") and first["span_id"] == format(0x99, "016x")
    assert (first["order_sn"], first["amount"]) == ("HSO1", 8850)
    assert "timestamp" in first
    assert second["level"] == "error" and "ValueError: boom" in second["stack"]
    assert "trace_id" not in second


def test_propagation_round_trip() -> None:
    incoming = {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
    ctx = tracing.extract(incoming)
    out: dict[str, str] = {}
    tracing.inject(out, ctx)
    assert out["traceparent"] == incoming["traceparent"]
    assert tracing.current_ids() is None

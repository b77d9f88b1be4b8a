"""Envelope bytes, framework statuses and middleware behaviour of create_app."""

from __future__ import annotations

import asyncio
import builtins
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from looklook.errors import CodeError
from looklook.resilience import Breaker, LoadShedder
from looklook.settings import HttpConf
from looklook.web import (
    RequestModel,
    ResponseModel,
    Route,
    create_app,
    register_error_mapper,
    run_http,
)
from prometheus_client import REGISTRY

JSON = {"Content-Type": "application/json"}


class UserInfo(ResponseModel):
    id: int
    nickname: str
    price: float


class ListResp(ResponseModel):
    list: builtins.list[UserInfo] | None = None


class DetailReq(RequestModel):
    id: int


class UpstreamDown(Exception):
    """Stands in for an rpc client error that a registered mapper translates."""


@register_error_mapper
def _map_upstream(exc: BaseException) -> CodeError | None:
    if isinstance(exc, UpstreamDown):
        return CodeError(100005, "数据库繁忙,请稍后再试")
    return None


async def detail(request: web.Request, req: DetailReq) -> Any:
    if req.id == 0:
        return None
    if req.id == 1:
        return UserInfo(id=1, nickname="小明<&>", price=100.0)
    if req.id == 2:
        raise CodeError.of_msg("用户不存在")
    if req.id == 3:
        raise RuntimeError("secret traceback detail")
    if req.id == 4:
        raise UpstreamDown()
    if req.id == 5:
        await asyncio.sleep(5)
    if req.id == 6:
        return ListResp(list=[])
    return web.Response(text="SUCCESS")


def make_app(
    http: HttpConf | None = None,
    extra: list[Route] | None = None,
    **kw: Any,
) -> web.Application:
    http = http or HttpConf(port=1, timeout_ms=200)
    routes = [Route("/v1/detail", detail, DetailReq), *(extra or [])]
    return create_app(name="t-api", http=http, routes=routes, **kw)


@asynccontextmanager
async def client(app: web.Application) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(app)) as c:
        yield c


ENVELOPES = [
    (0, 200, b'{"code":200,"msg":"OK","data":null}'),
    (
        1,
        200,
        '{"code":200,"msg":"OK","data":{"id":1,"nickname":"小明\\u003c\\u0026\\u003e",'
        '"price":100}}'.encode(),
    ),
    (2, 400, '{"code":100001,"msg":"用户不存在"}'.encode()),
    (3, 500, '{"code":100001,"msg":"服务器开小差啦，稍后再来试一试"}'.encode()),
    (4, 400, '{"code":100005,"msg":"数据库繁忙,请稍后再试"}'.encode()),
    (6, 200, b'{"code":200,"msg":"OK","data":{"list":null}}'),
]


@pytest.mark.parametrize(("rid", "status", "expected"), ENVELOPES)
async def test_envelope_bytes(rid: int, status: int, expected: bytes) -> None:
    async with client(make_app()) as c:
        resp = await c.post("/v1/detail", data=f'{{"id":{rid}}}', headers=JSON)
        assert resp.status == status
        assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
        assert await resp.read() == expected


async def test_unexpected_exception_is_logged_not_leaked(caplog: pytest.LogCaptureFixture) -> None:
    async with client(make_app()) as c:
        resp = await c.post("/v1/detail", data='{"id":3}', headers=JSON)
        body = await resp.read()
    assert b"secret" not in body and b"Traceback" not in body
    assert any("secret traceback detail" in (r.exc_text or "") for r in caplog.records)


async def test_handler_may_return_its_own_response() -> None:
    async with client(make_app()) as c:
        resp = await c.post("/v1/detail", data='{"id":7}', headers=JSON)
        assert (resp.status, await resp.text()) == (200, "SUCCESS")


async def test_timeout_is_503_request_timeout() -> None:
    async with client(make_app()) as c:
        resp = await c.post("/v1/detail", data='{"id":5}', headers=JSON)
        assert resp.status == 503
        assert await resp.read() == b"Request Timeout"


async def test_unknown_path_and_wrong_method() -> None:
    async with client(make_app()) as c:
        resp = await c.post("/nope")
        assert resp.status == 404
        assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert await resp.read() == b"404 page not found\n"
        for method in ("GET", "PUT", "DELETE"):
            resp = await c.request(method, "/v1/detail")
            assert resp.status == 405
            assert resp.headers["Allow"] == "POST"
            assert await resp.read() == b""


async def test_metrics_use_route_path_label() -> None:
    labels = {"path": "/v1/detail", "method": "POST", "code": "400"}
    before = REGISTRY.get_sample_value("http_server_requests_code_total", labels) or 0
    async with client(make_app()) as c:
        await c.post("/v1/detail", data='{"id":2}', headers=JSON)
        await c.post("/nope")
    after = REGISTRY.get_sample_value("http_server_requests_code_total", labels)
    assert after == before + 1
    count = REGISTRY.get_sample_value("http_server_requests_duration_ms_count", labels)
    assert count is not None and count >= 1
    assert (
        REGISTRY.get_sample_value(
            "http_server_requests_code_total", {"path": "/nope", "method": "POST", "code": "404"}
        )
        is None
    )


async def test_trace_context_is_continued_into_response_headers() -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    incoming = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01", **JSON}
    async with client(make_app()) as c:
        resp = await c.post("/v1/detail", data='{"id":0}', headers=incoming)
        assert trace_id in resp.headers.get("traceparent", "")


async def test_max_conns_rejects_with_503() -> None:
    gate = asyncio.Event()
    entered = asyncio.Event()

    async def slow(request: web.Request, req: None) -> None:
        entered.set()
        await gate.wait()

    app = make_app(HttpConf(port=1, max_conns=1), [Route("/slow", slow)])
    async with client(app) as c:
        first = asyncio.create_task(c.post("/slow"))
        await entered.wait()
        second = await c.post("/slow")
        assert (second.status, await second.read()) == (503, b"")
        gate.set()
        assert (await first).status == 200


async def test_breaker_opens_after_5xx() -> None:
    async def broken(request: web.Request, req: None) -> None:
        raise RuntimeError("backend down")

    def make(name: str) -> Breaker:
        return Breaker(name, protection=0, rand=lambda: 0.0)

    app = make_app(extra=[Route("/broken", broken)], breaker_factory=make)
    async with client(app) as c:
        statuses = [(await c.post("/broken")).status for _ in range(3)]
        # the first call fails normally; then the drop ratio is > 0 and rand() = 0 drops
        assert statuses == [500, 503, 503]
        # other routes have their own breaker
        assert (await c.post("/v1/detail", data='{"id":0}', headers=JSON)).status == 200


class AlwaysHot(LoadShedder):
    def should_drop(self) -> bool:
        return True


async def test_shedding_rejects_with_503() -> None:
    shedder = AlwaysHot(900, cpu_usage=lambda: 1000)
    async with client(make_app(shedder=shedder)) as c:
        resp = await c.post("/v1/detail", data='{"id":0}', headers=JSON)
        assert (resp.status, await resp.read()) == (503, b"")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_listening(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.02)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise AssertionError(f"nothing listens on {port}")


async def test_run_http_drains_in_flight_requests_on_stop() -> None:
    entered = asyncio.Event()
    cleaned: list[str] = []

    async def slow(request: web.Request, req: None) -> dict[str, str]:
        entered.set()
        await asyncio.sleep(0.2)
        return {"done": "yes"}

    async def resource(app: web.Application) -> AsyncIterator[None]:
        yield
        cleaned.append("closed")

    http = HttpConf(host="127.0.0.1", port=_free_port())
    app = make_app(http, [Route("/slow", slow)], extra_cleanup_ctx=[resource])
    stop = asyncio.Event()
    server = asyncio.create_task(run_http(app, http, stop=stop, shutdown_timeout=5))
    await _wait_listening(http.port)
    async with aiohttp.ClientSession() as s:
        call = asyncio.create_task(s.post(f"http://127.0.0.1:{http.port}/slow"))
        await entered.wait()
        stop.set()  # shutdown starts while the request is in flight
        resp = await call
        assert (await resp.json())["data"] == {"done": "yes"}
    await asyncio.wait_for(server, 5)
    assert cleaned == ["closed"]

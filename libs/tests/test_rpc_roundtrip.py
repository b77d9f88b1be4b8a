"""looklook.rpc server + client over a real socket: success, errors, deadlines, health."""

from __future__ import annotations

import asyncio

import pytest
from grpclib.client import Channel
from grpclib.health.v1.health_grpc import HealthStub
from grpclib.health.v1.health_pb2 import HealthCheckRequest, HealthCheckResponse
from grpclib.reflection.service import ServerReflection
from grpclib.reflection.v1.reflection_grpc import ServerReflectionStub
from grpclib.reflection.v1.reflection_pb2 import ServerReflectionRequest
from looklook.errors import GENERIC_MSG, CodeError
from looklook.pb import pb
from looklook.rpc import RpcError, rpc_client
from looklook.settings import RpcClientConf
from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from prometheus_client import REGISTRY

from .rpc_support import (
    BOOM_ID,
    BUSINESS_ERROR_ID,
    DB_ERROR_ID,
    NOT_FOUND_MSG,
    SLOW_ID,
    TRACE_ID,
    free_port,
    running_server,
)

METHOD = "/pb.travel/homestayDetail"


@pytest.fixture(scope="module")
async def server():
    async with running_server(timeout_ms=300) as srv:
        yield srv


@pytest.fixture
async def travel(server):
    client = rpc_client(pb.TravelStub, RpcClientConf(endpoint=f"127.0.0.1:{server.port}"))
    yield client
    client.close()


def _count(code: str) -> float:
    return REGISTRY.get_sample_value(
        "rpc_server_requests_code_total", {"method": METHOD, "code": code}
    ) or 0.0


async def test_round_trip(travel) -> None:
    resp = await travel.homestay_detail(pb.HomestayDetailReq(id=1))
    assert isinstance(travel, pb.TravelStub)
    assert resp.homestay.id == 1
    assert resp.homestay.title == "西湖民宿"
    assert resp.homestay.homestay_price == 29900


async def test_business_error_becomes_code_error(travel) -> None:
    before = _count("100001")
    with pytest.raises(CodeError) as info:
        await travel.homestay_detail(pb.HomestayDetailReq(id=BUSINESS_ERROR_ID))
    assert (info.value.code, info.value.msg) == (100001, NOT_FOUND_MSG)
    assert _count("100001") == before + 1


async def test_db_error_code_passes_through(travel) -> None:
    with pytest.raises(CodeError) as info:
        await travel.homestay_detail(pb.HomestayDetailReq(id=DB_ERROR_ID))
    assert info.value == CodeError(100005, "数据库繁忙,请稍后再试")


async def test_internal_error_is_unknown_with_generic_text(travel) -> None:
    with pytest.raises(RpcError) as info:
        await travel.homestay_detail(pb.HomestayDetailReq(id=BOOM_ID))
    assert info.value.status == 2
    assert info.value.message == GENERIC_MSG
    assert "secret" not in str(info.value)


async def test_server_deadline_when_client_sends_none(server) -> None:
    conf = RpcClientConf(endpoint=f"127.0.0.1:{server.port}", timeout_ms=0)  # no grpc-timeout
    client = rpc_client(pb.TravelStub, conf)
    try:
        with pytest.raises(RpcError) as info:
            await client.homestay_detail(pb.HomestayDetailReq(id=SLOW_ID))
    finally:
        client.close()
    assert info.value.status == 4  # DEADLINE_EXCEEDED, sent by the server after 300 ms


async def test_client_timeout(server) -> None:
    conf = RpcClientConf(endpoint=f"127.0.0.1:{server.port}", timeout_ms=100)
    client = rpc_client(pb.TravelStub, conf)
    try:
        with pytest.raises(RpcError) as info:
            await client.homestay_detail(pb.HomestayDetailReq(id=SLOW_ID))
    finally:
        client.close()
    assert info.value.status == 4


async def test_unavailable_endpoint() -> None:
    client = rpc_client(pb.TravelStub, RpcClientConf(endpoint=f"127.0.0.1:{free_port()}"))
    try:
        with pytest.raises(RpcError) as info:
            await client.homestay_detail(pb.HomestayDetailReq(id=1))
    finally:
        client.close()
    assert info.value.status == 14
    assert info.value.status_name == "UNAVAILABLE"


async def test_traceparent_is_propagated(travel) -> None:
    trace_id = 0x0AF7651916CD43DD8448EB211C80319C
    parent = SpanContext(trace_id, 0xB7AD6B7169203331, False, TraceFlags(TraceFlags.SAMPLED))
    token = context.attach(trace.set_span_in_context(NonRecordingSpan(parent)))
    try:
        resp = await travel.homestay_detail(pb.HomestayDetailReq(id=TRACE_ID))
    finally:
        context.detach(token)
    assert resp.homestay.info == f"{trace_id:032x}"


async def test_health_served(server) -> None:
    channel = Channel("127.0.0.1", server.port)
    try:
        reply = await HealthStub(channel).Check(HealthCheckRequest())
        assert reply.status == HealthCheckResponse.SERVING
        reply = await HealthStub(channel).Check(HealthCheckRequest(service="pb.travel"))
        assert reply.status == HealthCheckResponse.SERVING
    finally:
        channel.close()


async def test_reflection_lists_services_and_files(server) -> None:
    channel = Channel("127.0.0.1", server.port)
    try:
        async with ServerReflectionStub(channel).ServerReflectionInfo.open() as stream:
            await stream.send_message(ServerReflectionRequest(list_services=""))
            listed = await stream.recv_message()
            await stream.send_message(
                ServerReflectionRequest(file_containing_symbol="pb.travel"), end=True
            )
            files = await stream.recv_message()
    finally:
        channel.close()
    names = {s.name for s in listed.list_services_response.service}
    assert {"pb.travel", "grpc.health.v1.Health"} <= names
    assert files.file_descriptor_response.file_descriptor_proto


async def test_reflection_only_in_dev_and_test() -> None:
    for mode, expected in (("pro", False), ("dev", True)):
        async with running_server(mode=mode) as srv:
            served = any(isinstance(h, ServerReflection) for h in srv.handlers)
            assert served is expected, mode


async def test_health_follows_serving_flag() -> None:
    async with running_server() as srv:
        channel = Channel("127.0.0.1", srv.port)
        srv.serving.set(False)
        try:
            reply = await HealthStub(channel).Check(HealthCheckRequest())
        finally:
            channel.close()
        assert reply.status == HealthCheckResponse.NOT_SERVING


async def test_stop_lets_in_flight_calls_finish() -> None:
    async with running_server(timeout_ms=3000) as srv:
        client = rpc_client(pb.TravelStub, RpcClientConf(endpoint=f"127.0.0.1:{srv.port}"))
        try:
            call = asyncio.create_task(client.homestay_detail(pb.HomestayDetailReq(id=SLOW_ID)))
            await asyncio.sleep(0.2)
            await srv.stop(grace=3)
            resp = await call
        finally:
            client.close()
    assert resp.homestay.id == SLOW_ID

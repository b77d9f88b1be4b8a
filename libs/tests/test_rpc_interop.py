"""Wire compatibility with independent implementations: grpcio + protoc's python classes,
and a raw HTTP/2 client (h2) that reads the trailers byte for byte."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import grpc
import h2.connection
import h2.events
import pytest

from .rpc_support import BUSINESS_ERROR_ID, NOT_FOUND_MSG, running_server

PROTOS = Path(__file__).resolve().parents[2] / "protos"
METHOD = "/pb.travel/homestayDetail"


@pytest.fixture(scope="module")
def travel_pb2(tmp_path_factory: pytest.TempPathFactory):
    """protoc's own python classes for travel.proto, generated for this test only."""
    out = tmp_path_factory.mktemp("pb2")
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTOS}", f"--python_out={out}",
         "travel.proto"],
        check=True,
    )
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("travel_pb2")
    finally:
        sys.path.remove(str(out))


@pytest.fixture(scope="module")
async def server():
    async with running_server(timeout_ms=2000) as srv:
        yield srv


def _grpcio_call(port: int, travel_pb2, homestay_id: int):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        call = channel.unary_unary(
            METHOD,
            request_serializer=travel_pb2.HomestayDetailReq.SerializeToString,
            response_deserializer=travel_pb2.HomestayDetailResp.FromString,
        )
        return call(travel_pb2.HomestayDetailReq(id=homestay_id), timeout=5)


async def test_grpcio_client_round_trip(server, travel_pb2) -> None:
    resp = await asyncio.to_thread(_grpcio_call, server.port, travel_pb2, 1)
    assert resp.homestay.id == 1
    assert resp.homestay.title == "西湖民宿"
    assert resp.homestay.subTitle == "近断桥"
    assert resp.homestay.marketHomestayPrice == 39900


async def test_grpcio_sees_business_message(server, travel_pb2) -> None:
    with pytest.raises(grpc.RpcError) as info:
        await asyncio.to_thread(_grpcio_call, server.port, travel_pb2, BUSINESS_ERROR_ID)
    # grpcio folds codes outside 0..16 into UNKNOWN (errors.md §6) but keeps the message;
    # the number itself is checked on the raw trailers below.
    assert info.value.code() == grpc.StatusCode.UNKNOWN
    assert info.value.details() == NOT_FOUND_MSG


def _grpc_frame(payload: bytes) -> bytes:
    return b"\x00" + len(payload).to_bytes(4, "big") + payload


async def _raw_h2_call(port: int, body: bytes) -> dict[str, str]:
    """POST one gRPC message over plain HTTP/2 and return the merged response headers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    conn = h2.connection.H2Connection()
    conn.initiate_connection()
    conn.send_headers(1, [
        (":method", "POST"), (":scheme", "http"), (":path", METHOD),
        (":authority", f"127.0.0.1:{port}"), ("content-type", "application/grpc"),
        ("te", "trailers"),
    ])
    conn.send_data(1, _grpc_frame(body), end_stream=True)
    writer.write(conn.data_to_send())
    headers: dict[str, str] = {}
    try:
        async with asyncio.timeout(5):
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.ResponseReceived | h2.events.TrailersReceived):
                        headers.update((k.decode(), v.decode()) for k, v in event.headers)
                    if isinstance(event, h2.events.DataReceived):
                        conn.acknowledge_received_data(event.flow_controlled_length, 1)
                    if isinstance(event, h2.events.StreamEnded | h2.events.StreamReset):
                        return headers
                writer.write(conn.data_to_send())
    finally:
        writer.close()
    return headers


async def test_raw_trailers_carry_numeric_code_and_encoded_message(server, travel_pb2) -> None:
    body = travel_pb2.HomestayDetailReq(id=BUSINESS_ERROR_ID).SerializeToString()
    headers = await _raw_h2_call(server.port, body)
    assert headers["grpc-status"] == "100001"
    raw = headers["grpc-message"]
    assert raw.isascii() and "%" in raw  # percent-encoded UTF-8, as grpc-go expects
    assert unquote(raw) == NOT_FOUND_MSG


async def test_raw_success_has_status_zero(server, travel_pb2) -> None:
    body = travel_pb2.HomestayDetailReq(id=1).SerializeToString()
    headers = await _raw_h2_call(server.port, body)
    assert headers["grpc-status"] == "0"

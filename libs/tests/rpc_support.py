"""Shared pieces of the libs/tests/test_rpc_*.py tests: a tiny travel servicer and a server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from looklook.errors import CodeError
from looklook.pb import pb
from looklook.rpc import RpcServer, create_rpc_server
from looklook.settings import RpcServerConf
from opentelemetry import trace

NOT_FOUND_MSG = "用户不存在"
SLOW_ID = 3
BOOM_ID = 4
DB_ERROR_ID = 5
TRACE_ID = 6
BUSINESS_ERROR_ID = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TravelServicer(pb.TravelBase):
    """Behaviour chosen by the requested id, so one server covers every case."""

    async def homestay_detail(self, req: pb.HomestayDetailReq) -> pb.HomestayDetailResp:
        if req.id == BUSINESS_ERROR_ID:
            raise CodeError.of_msg(NOT_FOUND_MSG)
        if req.id == DB_ERROR_ID:
            raise CodeError.of_code(100005)
        if req.id == SLOW_ID:
            await asyncio.sleep(0.8)
        if req.id == BOOM_ID:
            raise RuntimeError("secret dsn root:pw@db")
        if req.id == TRACE_ID:
            ctx = trace.get_current_span().get_span_context()
            homestay = pb.Homestay(id=req.id, info=f"{ctx.trace_id:032x}")
            return pb.HomestayDetailResp(homestay=homestay)
        return pb.HomestayDetailResp(
            homestay=pb.Homestay(
                id=req.id,
                title="西湖民宿",
                sub_title="近断桥",
                people_num=4,
                row_state=1,
                food_price=1500,
                homestay_price=29900,
                market_homestay_price=39900,
            )
        )


@asynccontextmanager
async def running_server(*, timeout_ms: int = 300, mode: str = "test") -> AsyncIterator[RpcServer]:
    conf = RpcServerConf(host="127.0.0.1", port=free_port(), timeout_ms=timeout_ms)
    server = create_rpc_server([TravelServicer()], name="travel-rpc-test", conf=conf, mode=mode)
    await server.start()
    try:
        yield server
    finally:
        await server.stop(0.5)

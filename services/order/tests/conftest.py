"""A real order (rpc + api) on a throwaway database, with small grpclib stand-ins for
travel-rpc and payment-rpc on sockets (the peers order calls)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import redis.asyncio as aioredis
from looklook.data.testing import confs_for, purge_keys, run_sql, scratch_database, unique_name
from looklook.pb import pb
from looklook.rpc.present import present
from looklook.settings import JwtConf, MySQLConf
from looklook.testing import free_port, grpc_server, process_settings, running
from looklook.web import issue_token
from order.config import ApiSettings, RpcSettings
from order.main import API, MIGRATIONS, RPC

DAY = 86400
#: homestay 7: bookable, 4 people; homestay 8: off the shelf.
HOMESTAYS = {
    7: pb.Homestay(
        id=7,
        title="Sea view",
        sub_title="near the beach",
        banner="a.jpg,b.jpg",
        info="two rooms",
        people_num=4,
        homestay_business_id=3,
        user_id=30,
        row_state=1,
        row_type=0,
        food_info="breakfast",
        food_price=3800,
        homestay_price=58800,
        market_homestay_price=68800,
    ),
    8: pb.Homestay(id=8, title="Closed", people_num=2, row_state=0, homestay_price=100),
}


class TravelRpc(pb.TravelBase):
    """Upstream's travel-rpc answers an unknown id with an empty, present homestay."""

    async def homestay_detail(self, req: pb.HomestayDetailReq) -> pb.HomestayDetailResp:
        return pb.HomestayDetailResp(homestay=present(HOMESTAYS.get(req.id, pb.Homestay())))


@dataclass
class PaymentRpc(pb.PaymentBase):
    """Paid/refunded payments by order sn, as payment-rpc would find them."""

    by_order: dict[str, pb.PaymentDetail] = field(default_factory=dict)

    async def get_payment_success_refund_by_order_sn(
        self, req: pb.GetPaymentSuccessRefundByOrderSnReq
    ) -> pb.GetPaymentSuccessRefundByOrderSnResp:
        found = self.by_order.get(req.order_sn, pb.PaymentDetail())
        return pb.GetPaymentSuccessRefundByOrderSnResp(payment_detail=present(found))


@dataclass(frozen=True)
class Order:
    api_url: str
    rpc_endpoint: str
    mysql: MySQLConf
    redis: aioredis.Redis
    namespace: str
    jwt: JwtConf
    payment: PaymentRpc

    @property
    def schedule_prefix(self) -> str:
        return self.namespace + "jobs:schedule"

    @property
    def stream_key(self) -> str:
        return self.namespace + "jobs:queue"

    async def sql(self, query: str, args: tuple = ()) -> list[dict]:
        return await run_sql(self.mysql, query, args)

    def auth(self, user_id: int) -> dict[str, str]:
        return {"Authorization": "Bearer " + issue_token(self.jwt, user_id).access_token}

    async def schedules(self) -> list[dict]:
        """Every one-shot schedule order-rpc stored (the close jobs)."""
        keys = [k async for k in self.redis.scan_iter(match=self.schedule_prefix + ":data:*")]
        return [json.loads(await self.redis.get(k)) for k in keys]

    async def queued(self) -> list[dict]:
        """Messages on the jobs stream (immediate tasks such as the pay notification)."""
        entries = await self.redis.xrange(self.stream_key)
        return [json.loads(fields[b"data"]) for _id, fields in entries]


def stay(days_ahead: int = 2, nights: int = 2) -> tuple[int, int]:
    """A (start, end) pair in the future, ``nights`` apart."""
    start = int(time.time()) + days_ahead * DAY
    return start, start + nights * DAY


def new_user() -> int:
    return secrets.randbelow(10**9) + 10**6


@pytest.fixture(scope="session")
async def order(infra) -> AsyncIterator[Order]:
    base, redis = confs_for(infra)
    ns = unique_name("t_order") + ":"
    jwt = JwtConf(access_secret=secrets.token_urlsafe(24), access_expire=3600)
    payment = PaymentRpc()
    client = aioredis.Redis(host=redis.host, port=redis.port)
    async with (
        scratch_database(base, MIGRATIONS, "t_order") as db,
        grpc_server(TravelRpc()) as travel_endpoint,
        grpc_server(payment) as payment_endpoint,
    ):
        rpc_port, api_port = free_port(), free_port()
        rpc = process_settings(
            RpcSettings,
            name="order",
            mysql=db,
            cache=redis,
            redis=redis,
            rpc={"host": "127.0.0.1", "port": rpc_port},
            travel_rpc={"endpoint": travel_endpoint},
            jobs={"stream_key": ns + "jobs:queue", "schedule_prefix": ns + "jobs:schedule"},
            close_order_delay_s=1800,
        )
        api = process_settings(
            ApiSettings,
            name="order",
            jwt=jwt,
            api={"host": "127.0.0.1", "port": api_port},
            order_rpc={"endpoint": f"127.0.0.1:{rpc_port}"},
            travel_rpc={"endpoint": travel_endpoint},
            payment_rpc={"endpoint": payment_endpoint},
        )
        try:
            async with running(RPC, rpc, cache_namespace=ns), running(API, api):
                yield Order(
                    f"http://127.0.0.1:{api_port}",
                    f"127.0.0.1:{rpc_port}",
                    db,
                    client,
                    ns,
                    jwt,
                    payment,
                )
        finally:
            await purge_keys(redis, ns)
            await client.aclose()

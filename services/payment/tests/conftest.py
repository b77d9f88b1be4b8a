"""A real payment (rpc + api) on a throwaway database and its own Kafka topic, the WeChat
sandbox as WeChat Pay, and grpclib stand-ins for order-rpc and usercenter-rpc."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from looklook.data.testing import confs_for, purge_keys, run_sql, scratch_database, unique_name
from looklook.pb import pb
from looklook.rpc.present import present
from looklook.settings import JwtConf, MySQLConf
from looklook.testing import free_port, grpc_server, process_settings, running, serve_app
from looklook.web import issue_token
from looklook.wechat.crypto import encrypt_resource
from looklook_devtools import wxkeys
from looklook_devtools.wxsandbox.app import create_app as create_sandbox
from looklook_devtools.wxsandbox.pay import PayConf, signed_headers
from payment.config import ApiSettings, RpcSettings
from payment.main import API, MIGRATIONS, RPC

WX_APP_ID = "wx_pay_test_app"
MCH_ID = "1900000009"


@dataclass
class OrderRpc(pb.OrderBase):
    orders: dict[str, pb.HomestayOrder] = field(default_factory=dict)

    async def homestay_order_detail(
        self, req: pb.HomestayOrderDetailReq
    ) -> pb.HomestayOrderDetailResp:
        found = self.orders.get(req.sn, pb.HomestayOrder())
        return pb.HomestayOrderDetailResp(homestay_order=present(found))


@dataclass
class UsercenterRpc(pb.UsercenterBase):
    openids: dict[int, str] = field(default_factory=dict)

    async def get_user_auth_by_user_id(
        self, req: pb.GetUserAuthByUserIdReq
    ) -> pb.GetUserAuthyUserIdResp:
        key = self.openids.get(req.user_id, "") if req.auth_type == "wxMini" else ""
        auth = pb.UserAuth(id=1 if key else 0, user_id=req.user_id if key else 0, auth_key=key)
        return pb.GetUserAuthyUserIdResp(user_auth=present(auth))


@dataclass(frozen=True)
class Payment:
    api_url: str
    rpc_endpoint: str
    mysql: MySQLConf
    topic: str
    jwt: JwtConf
    keys: wxkeys.WxPayKeys
    order: OrderRpc
    usercenter: UsercenterRpc

    async def sql(self, query: str, args: tuple = ()) -> list[dict]:
        return await run_sql(self.mysql, query, args)

    def auth(self, user_id: int) -> dict[str, str]:
        return {"Authorization": "Bearer " + issue_token(self.jwt, user_id).access_token}

    def notification(
        self, transaction: dict, *, timestamp: int | None = None
    ) -> tuple[dict[str, str], bytes]:
        """A WeChat Pay notification as the platform sends it: encrypted and signed."""
        resource = encrypt_resource(self.keys.api_v3_key, json.dumps(transaction).encode())
        body = json.dumps(
            {"id": secrets.token_hex(8), "event_type": "TRANSACTION.SUCCESS", "resource": resource}
        )
        headers = signed_headers(self.keys.platform_private, body, timestamp)
        return {**headers, "Content-Type": "application/json"}, body.encode()


def new_user() -> int:
    return secrets.randbelow(10**9) + 10**6


@pytest.fixture(scope="session")
async def sandbox_url(keys) -> AsyncIterator[str]:
    conf = PayConf(MCH_ID, keys.api_v3_key, keys.merchant_public, keys.platform_private)
    async with serve_app(create_sandbox(app_id=WX_APP_ID, app_secret="s", pay_conf=conf)) as url:
        yield url


@pytest.fixture(scope="session")
def keys() -> wxkeys.WxPayKeys:
    return wxkeys.generate()


@pytest.fixture(scope="session")
async def payment(infra, keys, sandbox_url) -> AsyncIterator[Payment]:
    base, redis = confs_for(infra)
    ns = unique_name("t_payment") + ":"
    topic = unique_name("t_payment_topic")  # never the shared stack's topic
    jwt = JwtConf(access_secret=secrets.token_urlsafe(24), access_expire=3600)
    order, usercenter = OrderRpc(), UsercenterRpc()
    async with (
        scratch_database(base, MIGRATIONS, "t_payment") as db,
        grpc_server(order) as order_endpoint,
        grpc_server(usercenter) as uc_endpoint,
    ):
        rpc_port, api_port = free_port(), free_port()
        rpc = process_settings(
            RpcSettings,
            name="payment",
            mysql=db,
            cache=redis,
            rpc={"host": "127.0.0.1", "port": rpc_port},
            kafka={"brokers": [infra.kafka_bootstrap], "topic": topic},
        )
        api = process_settings(
            ApiSettings,
            name="payment",
            jwt=jwt,
            api={"host": "127.0.0.1", "port": api_port},
            payment_rpc={"endpoint": f"127.0.0.1:{rpc_port}"},
            order_rpc={"endpoint": order_endpoint},
            usercenter_rpc={"endpoint": uc_endpoint},
            wx_mini={"app_id": WX_APP_ID, "secret": "s", "base_url": sandbox_url},
            wx_pay={
                "mch_id": MCH_ID,
                "serial_no": wxkeys.DEV_SERIAL_NO,
                "api_v3_key": keys.api_v3_key,
                "private_key": keys.merchant_private,
                "platform_public_key": keys.platform_public,
                "notify_url": "http://127.0.0.1:1/notify",
                "base_url": sandbox_url,
            },
        )
        try:
            async with running(RPC, rpc, cache_namespace=ns), running(API, api):
                yield Payment(
                    f"http://127.0.0.1:{api_port}",
                    f"127.0.0.1:{rpc_port}",
                    db,
                    topic,
                    jwt,
                    keys,
                    order,
                    usercenter,
                )
        finally:
            await purge_keys(redis, ns)

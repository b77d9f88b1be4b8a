"""Real peers on sockets for the job tests: a grpclib order/usercenter server holding
orders in memory, and an aiohttp stand-in for the WeChat endpoints mqueue calls."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from grpclib.const import Status
from grpclib.exceptions import GRPCError
from looklook.pb import pb
from looklook.testing import serve_app


class FakeOrderRpc(pb.OrderBase):
    def __init__(self, orders: dict[str, pb.HomestayOrder]) -> None:
        self.orders = orders
        self.updates: list[tuple[str, int]] = []

    async def homestay_order_detail(self, req: pb.HomestayOrderDetailReq):
        # Upstream: a missing order is an empty message, not an error.
        return pb.HomestayOrderDetailResp(
            homestay_order=self.orders.get(req.sn, pb.HomestayOrder())
        )

    async def update_homestay_order_trade_state(self, req: pb.UpdateHomestayOrderTradeStateReq):
        self.updates.append((req.sn, req.trade_state))
        self.orders[req.sn].trade_state = req.trade_state
        return pb.UpdateHomestayOrderTradeStateResp(sn=req.sn)


class FakePaymentRpc(pb.PaymentBase):
    """Successful payments by order sn; the first ``fail_calls`` calls fail (UNAVAILABLE)."""

    def __init__(self, paid: dict[str, str] | None = None, fail_calls: int = 0) -> None:
        self.paid = paid or {}
        self.fail_calls = fail_calls
        self.calls: list[str] = []

    async def get_payment_success_refund_by_order_sn(
        self, req: pb.GetPaymentSuccessRefundByOrderSnReq
    ):
        self.calls.append(req.order_sn)
        if len(self.calls) <= self.fail_calls:
            raise GRPCError(Status.UNAVAILABLE, "payment db down")
        sn = self.paid.get(req.order_sn, "")
        detail = pb.PaymentDetail(id=1, sn=sn, order_sn=req.order_sn, pay_status=1) if sn else None
        return pb.GetPaymentSuccessRefundByOrderSnResp(payment_detail=detail)


class FakeUsercenterRpc(pb.UsercenterBase):
    def __init__(self, openids: dict[int, str]) -> None:
        self.openids = openids
        self.calls = 0

    async def get_user_auth_by_user_id(self, req: pb.GetUserAuthByUserIdReq):
        self.calls += 1
        key = self.openids.get(req.user_id, "") if req.auth_type == "wxMini" else ""
        return pb.GetUserAuthyUserIdResp(
            user_auth=pb.UserAuth(user_id=req.user_id, auth_type=req.auth_type, auth_key=key)
        )


@dataclass
class FakeWeChat:
    """``/cgi-bin/token`` and ``/cgi-bin/message/subscribe/send``; fails the first
    ``fail_sends`` sends with errcode 45009 (rate limit)."""

    fail_sends: int = 0
    token_calls: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    failures: int = 0

    async def token(self, request: web.Request) -> web.Response:
        self.token_calls += 1
        assert request.query["grant_type"] == "client_credential"
        return web.json_response({"access_token": "TOKEN", "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        assert request.query["access_token"] == "TOKEN"
        if self.failures < self.fail_sends:
            self.failures += 1
            return web.json_response({"errcode": 45009, "errmsg": "rate limited"})
        self.sent.append(await request.json())
        return web.json_response({"errcode": 0, "errmsg": "ok"})


@contextlib.asynccontextmanager
async def wechat_server(fake: FakeWeChat) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/cgi-bin/token", fake.token)
    app.router.add_post("/cgi-bin/message/subscribe/send", fake.send)
    async with serve_app(app) as url:
        yield url

"""Job logic against real gRPC and HTTP peers on sockets."""

from __future__ import annotations

import aiohttp
import pytest
from looklook.jobs.types import CloseOrderPayload, PaySuccessNotifyPayload
from looklook.pb import pb
from looklook.rpc import RpcError, close_client, rpc_client
from looklook.settings import RpcClientConf
from looklook.testing import grpc_server
from looklook.wechat.miniprogram import WxMiniClient, WxMiniConf, miniprogram_state
from mqueue.logic.close_order import Outcome, close_order
from mqueue.logic.notify_pay_success import (
    CHECK_IN_REMINDER,
    CHECK_IN_TPL,
    ORDER_PAID_TPL,
    BadOrderRowError,
    NoOpenIdError,
    NotifyPaySuccess,
)
from mqueue.logic.permanent import PermanentJobError

from .peers import FakeOrderRpc, FakePaymentRpc, FakeUsercenterRpc, FakeWeChat, wechat_server


@pytest.fixture
async def order_peer():
    fake = FakeOrderRpc({
        "HSOunpaid": pb.HomestayOrder(id=1, sn="HSOunpaid", trade_state=0),
        "HSOpaid": pb.HomestayOrder(id=2, sn="HSOpaid", trade_state=1),
        "HSOlate": pb.HomestayOrder(id=3, sn="HSOlate", trade_state=0),  # paid, msg late
    })
    payment = FakePaymentRpc({"HSOlate": "PMTlate"})
    async with grpc_server(fake) as endpoint, grpc_server(payment) as pay_endpoint:
        client = rpc_client(pb.OrderStub, RpcClientConf(endpoint=endpoint))
        pay_client = rpc_client(pb.PaymentStub, RpcClientConf(endpoint=pay_endpoint))
        yield fake, client, payment, pay_client
        close_client(client)
        close_client(pay_client)


@pytest.mark.parametrize(
    ("sn", "outcome", "updates", "asked_payment"),
    [
        ("HSOunpaid", Outcome.CLOSED, [("HSOunpaid", -1)], True),
        ("HSOlate", Outcome.PAID, [("HSOlate", 1)], True),  # upstream cancelled it
        ("HSOpaid", Outcome.UNTOUCHED, [], False),
        ("HSOnope", Outcome.UNKNOWN, [], False),  # upstream retried this forever
    ],
)
async def test_close_order(order_peer, sn, outcome, updates, asked_payment):
    fake, client, payment, pay_client = order_peer
    assert await close_order(client, pay_client, CloseOrderPayload(Sn=sn)) is outcome
    assert fake.updates == updates
    assert payment.calls == ([sn] if asked_payment else [])


async def test_close_order_never_cancels_when_payment_rpc_fails(order_peer):
    fake, client, payment, pay_client = order_peer
    payment.fail_calls = 1
    with pytest.raises(RpcError):  # the task fails and is retried
        await close_order(client, pay_client, CloseOrderPayload(Sn="HSOunpaid"))
    assert fake.updates == []
    assert await close_order(client, pay_client, CloseOrderPayload(Sn="HSOunpaid")) is (
        Outcome.CLOSED
    )


ORDER_ROW = {
    "Id": 7, "Sn": "HSO20240102", "UserId": 42, "Title": "Sea view", "TradeState": 1,
    "TradeCode": "Ab12Cd34", "OrderTotalPrice": 58800,
    "LiveStartDate": "2024-01-02T00:00:00+08:00", "LiveEndDate": "2024-01-04T00:00:00+08:00",
}


@pytest.fixture
async def notify_env():
    wechat = FakeWeChat()
    async with (
        grpc_server(FakeUsercenterRpc({42: "openid-42"})) as endpoint,
        wechat_server(wechat) as base_url,
        aiohttp.ClientSession() as http,
    ):
        usercenter = rpc_client(pb.UsercenterStub, RpcClientConf(endpoint=endpoint))
        conf = WxMiniConf(app_id="wxapp", secret="s", base_url=base_url)
        yield wechat, NotifyPaySuccess(usercenter, WxMiniClient(http, conf),
                                       state=miniprogram_state("dev"), attempts=7, wait_s=0.0)
        close_client(usercenter)


async def test_pay_success_sends_both_templates(notify_env):
    wechat, notify = notify_env
    payload = PaySuccessNotifyPayload.model_validate({"Order": ORDER_ROW})
    assert await notify(payload) == 2
    first, second = wechat.sent
    assert first == {
        "touser": "openid-42", "template_id": ORDER_PAID_TPL, "page": "",
        "data": {
            "character_string6": {"value": "HSO20240102", "color": ""},
            "thing1": {"value": "Sea view", "color": ""},
            "amount2": {"value": "588.00", "color": ""},
            "time4": {"value": "2024-01-02", "color": ""},
            "time5": {"value": "2024-01-04", "color": ""},
        },
        "miniprogram_state": "developer", "lang": "",
    }
    assert second["template_id"] == CHECK_IN_TPL
    assert second["data"]["character_string4"]["value"] == "Ab12Cd34"
    assert second["data"]["thing1"]["value"] == CHECK_IN_REMINDER
    assert wechat.token_calls == 1  # cached


async def test_pay_success_retries_sends_then_gives_up(notify_env):
    wechat, notify = notify_env
    wechat.fail_sends = 7 + 3  # first message fails all 7 attempts, second succeeds on 4th
    payload = PaySuccessNotifyPayload.model_validate({"order": {"userId": 42, **ORDER_ROW}})
    assert await notify(payload) == 1
    assert [m["template_id"] for m in wechat.sent] == [CHECK_IN_TPL]


async def test_pay_success_without_openid_is_permanent(notify_env):
    wechat, notify = notify_env
    with pytest.raises(NoOpenIdError) as err:
        await notify(PaySuccessNotifyPayload(Order={**ORDER_ROW, "UserId": 99}))
    assert isinstance(err.value, PermanentJobError) and wechat.sent == []


@pytest.mark.parametrize(
    "row",
    [
        {k: v for k, v in ORDER_ROW.items() if k != "UserId"},
        {**ORDER_ROW, "UserId": "not-a-number"},
        {**ORDER_ROW, "LiveStartDate": "yesterday"},
        {k: v for k, v in ORDER_ROW.items() if k != "LiveEndDate"},
    ],
)
async def test_pay_success_unusable_row_is_permanent(notify_env, row):
    wechat, notify = notify_env
    with pytest.raises(BadOrderRowError):
        await notify(PaySuccessNotifyPayload(Order=row))
    assert wechat.sent == [] and wechat.token_calls == 0

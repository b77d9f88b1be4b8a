"""The booking flow of `make demo`, through the nginx gateway, plus what must NOT work."""

from __future__ import annotations

import json
import time

import pytest
from looklook_devtools import wxkeys
from looklook_devtools.demo import Demo, StepError, run_demo
from looklook_devtools.wxsandbox.pay import signed_headers

from tests.e2e.conftest import sql

CREATE = "/order/v1/homestayOrder/createHomestayOrder"
DETAIL = "/order/v1/homestayOrder/userHomestayOrderDetail"
PAY = "/payment/v1/thirdPayment/thirdPaymentWxPay"
CALLBACK = "/payment/v1/thirdPayment/thirdPaymentWxPayCallback"


async def post(
    demo: Demo,
    path: str,
    body: bytes | dict,
    *,
    token: str | None = None,
    headers: dict | None = None,
) -> tuple[int, str]:
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with demo.http.post(demo.gateway + path, data=data, headers=hdrs) as resp:
        return resp.status, await resp.text()


async def test_demo_flow_end_to_end(demo: Demo) -> None:
    await run_demo(demo)


@pytest.fixture
async def buyer(demo: Demo) -> tuple[Demo, dict, str]:
    """A registered, WeChat-bound buyer and a bookable homestay."""
    await demo.register()
    homestay = await demo.browse()
    openid = await demo.wx_mini_auth()
    return demo, homestay, openid


async def _order_count(infra) -> int:
    rows = await sql(infra, "looklook_order", "SELECT COUNT(*) AS n FROM homestay_order")
    return int(rows[0]["n"])


def _booking(homestay_id: int, **over) -> dict:
    start = int(time.time()) + 86400
    body = {
        "homestayId": homestay_id,
        "isFood": False,
        "liveStartTime": start,
        "liveEndTime": start + 86400,
        "livePeopleNum": 1,
        "remark": "",
    }
    return {**body, **over}


@pytest.mark.parametrize(
    ("over", "code", "fragment"),
    [
        ({"homestayId": 987654321}, 100001, "homestay no exists"),
        ({"liveEndTime": 0}, 100001, "create homestay order fail"),  # end <= start, masked
        ({"liveStartTime": 1_000_000_000, "liveEndTime": 1_000_086_400}, 100002, "in the past"),
        ({"livePeopleNum": 99}, 100002, "capacity"),
        ({"livePeopleNum": 0}, 100002, "at least 1"),
        ({"remark": "x" * 65}, 100002, "remark"),
        ({"isFood": "yes"}, 100002, 'field "isFood"'),
    ],
)
async def test_bad_orders_are_refused_and_write_nothing(
    buyer, infra, over: dict, code: int, fragment: str
) -> None:
    demo, homestay, _ = buyer
    before = await _order_count(infra)
    status, text = await post(demo, CREATE, _booking(homestay["id"], **over), token=demo.token)
    assert status == 400, text
    body = json.loads(text)
    assert body["code"] == code and fragment in body["msg"], body
    assert await _order_count(infra) == before


@pytest.mark.parametrize("raw", [b"{not json", b"[1,2]", b'{"homestayId": 1.5}'])
async def test_malformed_bodies_get_param_errors(buyer, raw: bytes) -> None:
    demo, _, _ = buyer
    status, text = await post(demo, CREATE, raw, token=demo.token)
    assert status == 400 and json.loads(text)["code"] == 100002, text


async def test_oversized_body_is_413(buyer) -> None:
    demo, _, _ = buyer
    status, _ = await post(
        demo, CREATE, b'{"remark":"' + b"x" * (1 << 20) + b'"}', token=demo.token
    )
    assert status == 413


async def test_someone_elses_order_is_invisible_and_unpayable(buyer, stack_urls) -> None:
    demo, homestay, _ = buyer
    sn = await demo.create_order(homestay["id"])
    other = Demo(demo.gateway, demo.sandbox, demo.http, say=lambda _m: None)
    await other.register()
    await other.wx_mini_auth()
    assert await other.call(DETAIL, {"sn": sn}) is None
    status, text = await post(
        other, PAY, {"orderSn": sn, "serviceType": "homestayOrder"}, token=other.token
    )
    assert (status, json.loads(text)) == (400, {"code": 100001, "msg": "wechat pay fail"})


async def test_paid_order_cannot_be_paid_again_and_callbacks_apply_once(buyer, infra) -> None:
    demo, homestay, _ = buyer
    sn = await demo.create_order(homestay["id"])
    pay = await demo.wx_pay(sn)
    await demo.sandbox_pays(pay)
    await demo.wait_trade_state(sn, 1, 30)
    status, text = await post(
        demo, PAY, {"orderSn": sn, "serviceType": "homestayOrder"}, token=demo.token
    )
    assert status == 400 and "pending payment" in json.loads(text)["msg"], text

    prepay_id = pay["package"].removeprefix("prepay_id=")
    async with demo.http.get(
        demo.sandbox + "/sandbox/pay/notifications", params={"prepay_id": prepay_id}
    ) as resp:
        sent = (await resp.json())["notifications"][0]
    before = await sql(
        infra,
        "looklook_payment",
        "SELECT version, pay_status FROM third_payment WHERE order_sn=%s",
        (sn,),
    )
    # the exact notification again (a WeChat retry): SUCCESS, nothing changes
    status, text = await post(demo, CALLBACK, sent["body"].encode(), headers=sent["headers"])
    assert (status, text) == (200, "SUCCESS")
    # tampered body: bad signature → 400, empty body, nothing changes
    tampered = sent["body"].replace('"summary"', '"summarY"')
    status, text = await post(demo, CALLBACK, tampered.encode(), headers=sent["headers"])
    assert (status, text) == (400, "")
    # correctly signed but 10 minutes old: a replay → 400
    keys = wxkeys.ensure_keys()
    old = signed_headers(keys.platform_private, sent["body"], timestamp=int(time.time()) - 600)
    status, text = await post(demo, CALLBACK, sent["body"].encode(), headers=old)
    assert (status, text) == (400, "")
    after = await sql(
        infra,
        "looklook_payment",
        "SELECT version, pay_status FROM third_payment WHERE order_sn=%s",
        (sn,),
    )
    assert after == before and after[0]["pay_status"] == 1 and after[0]["version"] == 1
    order = await sql(
        infra,
        "looklook_order",
        "SELECT version, trade_state FROM homestay_order WHERE sn=%s",
        (sn,),
    )
    assert order == [{"version": 1, "trade_state": 1}]


async def test_amount_mismatch_is_fail_and_order_stays_unpaid(buyer) -> None:
    demo, homestay, _ = buyer
    sn = await demo.create_order(homestay["id"])
    pay = await demo.wx_pay(sn)
    answer = await demo.sandbox_post(
        "/sandbox/pay/confirm",
        {
            "prepay_id": pay["package"].removeprefix("prepay_id="),
            "payer_total": 1,
        },
    )
    assert (answer["status"], answer["body"]) == (400, "FAIL")
    assert (await demo.order_detail(sn))["tradeState"] == 0


async def test_unknown_service_type(buyer) -> None:
    demo, homestay, _ = buyer
    sn = await demo.create_order(homestay["id"])
    with pytest.raises(StepError, match="Payment for this business type is not supported"):
        await demo.call(PAY, {"orderSn": sn, "serviceType": "flight"})

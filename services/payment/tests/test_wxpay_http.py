"""payment-api over HTTP: thirdPaymentWxPay (bad input table, a real prepay against the
sandbox) and WeChat's signed notification (rejections change nothing, replays apply once)."""

from __future__ import annotations

import json
import logging
import secrets
import time

import pytest
from looklook.pb import pb
from looklook.wechat.crypto import load_public_key, message, verify
from prometheus_client import REGISTRY

from .conftest import WX_APP_ID, new_user

P = "/payment/v1/thirdPayment/"
PAY, CALLBACK = P + "thirdPaymentWxPay", P + "thirdPaymentWxPayCallback"
PARAM = 100002
#: the buyer of the payable order, who has authorised with WeChat
BUYER = 51_000_001
#: a user with an order but no WeChat authorisation
NO_WX = 51_000_002
PAYABLE, PAID, FOREIGN, NO_WX_ORDER, CANCELLED, REPEAT, PAID_RECORD = (
    f"HSO2030010112000000{i:06d}" for i in range(7)
)


@pytest.fixture(scope="module", autouse=True)
def peers(payment):
    def o(sn: str, user_id: int, state: int = 0) -> pb.HomestayOrder:
        return pb.HomestayOrder(
            id=len(payment.order.orders) + 1,
            sn=sn,
            user_id=user_id,
            trade_state=state,
            order_total_price=132800,
        )

    for sn, uid, state in (
        (PAYABLE, BUYER, 0),
        (PAID, BUYER, 1),
        (FOREIGN, BUYER + 99, 0),
        (NO_WX_ORDER, NO_WX, 0),
        (CANCELLED, BUYER, -1),  # closed by the close-order job
        (REPEAT, BUYER, 0),
        (PAID_RECORD, BUYER, 0),  # order still 0, but payment-rpc holds a paid record
    ):
        payment.order.orders[sn] = o(sn, uid, state)
    payment.usercenter.openids[BUYER] = "openid-buyer"


def js(obj) -> dict:
    return {"data": json.dumps(obj).encode(), "headers": {"Content-Type": "application/json"}}


def raw(body: str) -> dict:
    return {"data": body.encode(), "headers": {"Content-Type": "application/json"}}


def req(sn: str = PAYABLE, service: str = "homestayOrder") -> dict:
    return js({"orderSn": sn, "serviceType": service})


FAIL = "wechat pay fail"
PAY_CASES = [
    (BUYER, js({}), PARAM, "参数错误 ,"),
    (BUYER, js({"orderSn": PAYABLE}), PARAM, '参数错误 ,field "serviceType" is not set'),
    (BUYER, js({"orderSn": 5, "serviceType": "homestayOrder"}), PARAM, "参数错误 ,"),
    (BUYER, js({"orderSn": PAYABLE, "serviceType": None}), PARAM, "参数错误 ,"),
    (BUYER, raw('{"orderSn":'), PARAM, "参数错误 ,"),
    (BUYER, raw("[]"), PARAM, "参数错误 ,"),
    (BUYER, req(service="flight"), 100001, "Payment for this business type is not supported"),
    (BUYER, req(service=""), 100001, "Payment for this business type is not supported"),
    (BUYER, req("HSO_missing"), 100001, FAIL),
    (BUYER, req(""), 100001, FAIL),
    (BUYER, req(FOREIGN), 100001, FAIL),  # someone else's order
    (BUYER, req(PAID), 100001, "Only orders pending payment can be paid"),
    (BUYER, req(CANCELLED), 100001, "Only orders pending payment can be paid"),
    (
        NO_WX,
        req(NO_WX_ORDER),
        100001,
        "Get user wechat openid fail，Please pay before authorization by weChat",
    ),
]


async def _payments(payment) -> int:
    return (await payment.sql("SELECT COUNT(*) AS n FROM third_payment"))[0]["n"]


@pytest.mark.parametrize(("user", "kwargs", "code", "msg"), PAY_CASES)
async def test_wx_pay_bad_input(payment, http, user, kwargs, code, msg) -> None:
    before = await _payments(payment)
    kwargs = {**kwargs, "headers": {**kwargs["headers"], **payment.auth(user)}}
    async with http.post(payment.api_url + PAY, **kwargs) as r:
        body = await r.read()
        assert r.status == 400, body[:300]
    envelope = json.loads(body)
    assert list(envelope) == ["code", "msg"]
    assert envelope["code"] == code and envelope["msg"].startswith(msg), envelope
    if code != PARAM:
        assert envelope["msg"] == msg
    assert await _payments(payment) == before


async def test_wx_pay_needs_a_token(payment, http) -> None:
    async with http.post(payment.api_url + PAY, **req()) as r:
        assert (r.status, await r.read()) == (401, b"")


async def test_wx_pay_prepays_and_signs(payment, http) -> None:
    before = int(time.time())
    kwargs = req()
    kwargs["headers"].update(payment.auth(BUYER))
    async with http.post(payment.api_url + PAY, **kwargs) as r:
        env = await r.json()
        assert r.status == 200, env
    d = env["data"]
    assert list(d) == ["appid", "nonceStr", "paySign", "package", "timestamp", "signType"]
    assert d["appid"] == WX_APP_ID and d["signType"] == "RSA"
    assert d["package"].startswith("prepay_id=wx") and before <= int(d["timestamp"]) <= time.time()
    signed = message(d["appid"], d["timestamp"], d["nonceStr"], d["package"])
    verify(load_public_key(payment.keys.merchant_public), signed, d["paySign"])
    rows = await payment.sql(
        "SELECT user_id, pay_total, pay_status, pay_mode FROM third_payment WHERE order_sn = %s",
        (PAYABLE,),
    )
    assert {(r["user_id"], r["pay_total"], r["pay_status"], r["pay_mode"]) for r in rows} == {
        (BUYER, 132800, 0, "WECHAT_PAY")
    }


async def _new_payment(payment, total: int = 132800) -> tuple[str, str]:
    from looklook.rpc import rpc_client
    from looklook.settings import RpcClientConf

    order_sn = "HSO20300101120000" + "".join(secrets.choice("0123456789") for _ in range(8))
    stub = rpc_client(pb.PaymentStub, RpcClientConf(endpoint=payment.rpc_endpoint))
    try:
        created = await stub.create_payment(
            pb.CreatePaymentReq(
                user_id=BUYER, pay_model="WECHAT_PAY", pay_total=total, order_sn=order_sn
            )
        )
    finally:
        stub.close()
    return created.sn, order_sn


def transaction(sn: str, payer_total: int = 132800, state: str = "SUCCESS") -> dict:
    return {
        "out_trade_no": sn,
        "transaction_id": "42000" + secrets.token_hex(8),
        "trade_type": "JSAPI",
        "trade_state": state,
        "trade_state_desc": "支付成功",
        "success_time": "2030-01-01T12:00:05+08:00",
        "amount": {"total": 132800, "payer_total": payer_total, "currency": "CNY"},
    }


async def _state(payment, sn: str, order_sn: str) -> tuple:
    [row] = await payment.sql(
        "SELECT pay_status, version, trade_state, pay_time FROM third_payment WHERE sn = %s", (sn,)
    )
    sent = await payment.sql(
        "SELECT payload FROM looklook_outbox WHERE payload LIKE %s", (f"%{order_sn}%",)
    )
    return row["pay_status"], row["version"], row["trade_state"], str(row["pay_time"]), len(sent)


UNCHANGED = (0, 0, "", "1970-01-01 08:00:00", 0)


def _tamper_signature(headers: dict, body: bytes) -> tuple[dict, bytes]:
    return headers, body.replace(b'"event_type"', b'"event_typo"')


def _tamper_ciphertext(payment, sn: str) -> tuple[dict, bytes]:
    """Validly signed, but the encrypted resource was altered before signing."""
    from looklook_devtools.wxsandbox.pay import signed_headers

    _, body = payment.notification(transaction(sn))
    doc = json.loads(body)
    ct = doc["resource"]["ciphertext"]
    doc["resource"]["ciphertext"] = ("B" if ct[0] == "A" else "A") + ct[1:]
    text = json.dumps(doc)
    return signed_headers(payment.keys.platform_private, text), text.encode()


@pytest.mark.parametrize("case", ["signature", "stale", "future", "ciphertext", "no_headers"])
async def test_callback_rejections_change_nothing(payment, http, case) -> None:
    sn, order_sn = await _new_payment(payment)
    if case == "signature":
        headers, body = _tamper_signature(*payment.notification(transaction(sn)))
    elif case == "stale":
        headers, body = payment.notification(transaction(sn), timestamp=int(time.time()) - 3600)
    elif case == "future":
        headers, body = payment.notification(transaction(sn), timestamp=int(time.time()) + 3600)
    elif case == "ciphertext":
        headers, body = _tamper_ciphertext(payment, sn)
    else:
        headers, body = (
            {"Content-Type": "application/json"},
            payment.notification(transaction(sn))[1],
        )
    async with http.post(payment.api_url + CALLBACK, data=body, headers=headers) as r:
        assert (r.status, await r.read()) == (400, b"")
    assert await _state(payment, sn, order_sn) == UNCHANGED


@pytest.mark.parametrize("case", ["unknown_payment", "amount_mismatch"])
async def test_callback_fail_changes_nothing(payment, http, case) -> None:
    sn, order_sn = await _new_payment(payment)
    tx = transaction("PMT_unknown") if case == "unknown_payment" else transaction(sn, 100)
    headers, body = payment.notification(tx)
    async with http.post(payment.api_url + CALLBACK, data=body, headers=headers) as r:
        assert (r.status, await r.read()) == (400, b"FAIL")
    assert await _state(payment, sn, order_sn) == UNCHANGED


async def test_callback_applies_once_and_replays_answer_success(payment, http) -> None:
    sn, order_sn = await _new_payment(payment)
    headers, body = payment.notification(transaction(sn))
    for _ in range(3):  # WeChat retries until it reads SUCCESS; a replay must not re-apply
        async with http.post(payment.api_url + CALLBACK, data=body, headers=headers) as r:
            assert (r.status, await r.read()) == (200, b"SUCCESS")
            assert r.content_type == "text/plain"
    # success_time 2030-01-01T12:00:05+08:00 is recorded (upstream wrote Unix 0)
    assert await _state(payment, sn, order_sn) == (1, 1, "SUCCESS", "2030-01-01 12:00:05", 1)
    [msg] = await payment.sql(
        "SELECT payload FROM looklook_outbox WHERE payload LIKE %s", (f"%{order_sn}%",)
    )
    assert bytes(msg["payload"]) == b'{"payStatus":1,"orderSn":"' + order_sn.encode() + b'"}'


@pytest.mark.parametrize("state", ["USERPAYING", "REFUND", "CLOSED", "PAYERROR"])
async def test_callback_non_success_states_are_acknowledged_not_recorded(
    payment, http, state
) -> None:
    sn, order_sn = await _new_payment(payment)
    headers, body = payment.notification(transaction(sn, state=state))
    async with http.post(payment.api_url + CALLBACK, data=body, headers=headers) as r:
        assert (r.status, await r.read()) == (200, b"SUCCESS")
    assert await _state(payment, sn, order_sn) == UNCHANGED


async def test_callback_owner_is_not_checked_by_token(payment, http) -> None:
    """The notification route is public (WeChat calls it); a JWT is neither needed nor used."""
    sn, _ = await _new_payment(payment)
    headers, body = payment.notification(transaction(sn))
    headers = {**headers, **payment.auth(new_user())}
    async with http.post(payment.api_url + CALLBACK, data=body, headers=headers) as r:
        assert (r.status, await r.read()) == (200, b"SUCCESS")


async def _wx_pay(payment, http, order_sn: str) -> tuple[int, dict]:
    kwargs = req(order_sn)
    kwargs["headers"].update(payment.auth(BUYER))
    async with http.post(payment.api_url + PAY, **kwargs) as r:
        return r.status, await r.json()


async def _order_payments(payment, order_sn: str) -> list[dict]:
    return await payment.sql(
        "SELECT sn, pay_status FROM third_payment WHERE order_sn = %s ORDER BY id", (order_sn,)
    )


async def test_wx_pay_twice_reuses_one_payment(payment, http) -> None:
    """Upstream made a second chargeable record; two confirmed prepays charged twice."""
    for _ in range(2):
        status, env = await _wx_pay(payment, http, REPEAT)
        assert status == 200, env
    [row] = await _order_payments(payment, REPEAT)
    assert row["pay_status"] == 0


async def test_wx_pay_refuses_an_order_with_a_paid_record(payment, http) -> None:
    status, env = await _wx_pay(payment, http, PAID_RECORD)
    assert status == 200, env
    [row] = await _order_payments(payment, PAID_RECORD)
    await payment.sql(
        "UPDATE third_payment SET pay_status = 1, trade_state = 'SUCCESS' WHERE sn = %s",
        (row["sn"],),
    )
    status, env = await _wx_pay(payment, http, PAID_RECORD)
    assert (status, env) == (400, {"code": 100001, "msg": FAIL})  # the rpc's text is masked
    assert len(await _order_payments(payment, PAID_RECORD)) == 1


def _duplicates() -> float:
    return REGISTRY.get_sample_value("payment_duplicate_paid_total") or 0.0


async def test_second_paid_record_is_recorded_and_flagged(payment, http, caplog) -> None:
    """Two pending records of one order (made before the fix, or by upstream's Go)."""
    first, order_sn = await _new_payment(payment)
    second = "PMT" + "".join(secrets.choice("0123456789") for _ in range(22))
    await payment.sql(
        "INSERT INTO third_payment (sn, user_id, pay_mode, pay_total, order_sn, service_type)"
        " VALUES (%s, %s, 'WECHAT_PAY', 132800, %s, 'homestayOrder')",
        (second, BUYER, order_sn),
    )
    before = _duplicates()
    caplog.set_level(logging.ERROR)
    for sn in (first, second):
        headers, body = payment.notification(transaction(sn))
        async with http.post(payment.api_url + CALLBACK, data=body, headers=headers) as r:
            assert (r.status, await r.read()) == (200, b"SUCCESS")
    assert [r["pay_status"] for r in await _order_payments(payment, order_sn)] == [1, 1]
    assert _duplicates() == before + 1
    [err] = [r for r in caplog.records if "paid twice" in r.getMessage()]
    assert first in err.getMessage() and second in err.getMessage()

"""payment-rpc over real gRPC on a scratch database: the four methods and the outbox."""

from __future__ import annotations

import asyncio
import secrets
import time

import grpc
import pytest
from looklook.data import create_cache, create_database
from looklook.data.testing import confs_for, purge_keys, unique_name
from looklook.errors import CodeError
from looklook.pb import pb
from looklook.rpc import rpc_client
from looklook.settings import RpcClientConf
from looklook.testing import grpcio_unary
from payment.logic import paylock
from payment.logic.paylock import lock_name
from payment.logic.payments import ALREADY_PAID, LOCK_BUSY, Payments
from payment.models import ThirdPaymentModel

from .conftest import new_user


@pytest.fixture
async def stub(payment):
    client = rpc_client(pb.PaymentStub, RpcClientConf(endpoint=payment.rpc_endpoint))
    yield client
    client.close()


def order_sn() -> str:
    return (
        "HSO"
        + time.strftime("%Y%m%d%H%M%S")
        + "".join(secrets.choice("0123456789") for _ in range(8))
    )


async def new_payment(stub, user_id: int, order: str, total: int = 12345) -> str:
    resp = await stub.create_payment(
        pb.CreatePaymentReq(
            user_id=user_id, pay_model="WECHAT_PAY", pay_total=total, order_sn=order,
            service_type="ignored",
        )
    )  # fmt: skip
    return resp.sn


async def outbox(payment, order: str) -> list[bytes]:
    rows = await payment.sql(
        "SELECT topic, payload FROM looklook_outbox WHERE payload LIKE %s ORDER BY id",
        (f"%{order}%",),
    )
    assert all(r["topic"] == payment.topic for r in rows)
    return [bytes(r["payload"]) for r in rows]


async def test_create_and_get_by_sn(payment, stub) -> None:
    uid, order = new_user(), order_sn()
    sn = await new_payment(stub, uid, order)
    assert sn.startswith("PMT") and len(sn) == 25
    d = (await stub.get_payment_by_sn(pb.GetPaymentBySnReq(sn=sn))).payment_detail
    assert (d.sn, d.user_id, d.pay_mode, d.pay_total, d.order_sn) == (
        sn, uid, "WECHAT_PAY", 12345, order,
    )  # fmt: skip
    assert (d.service_type, d.pay_status, d.trade_state, d.pay_time) == ("homestayOrder", 0, 0, 0)
    assert abs(d.create_time - time.time()) < 5
    [row] = await payment.sql("SELECT pay_time FROM third_payment WHERE sn = %s", (sn,))
    assert str(row["pay_time"]) == "1970-01-01 08:00:00"  # the column default, not 0000-00-00

    status, raw, _ = await grpcio_unary(
        payment.rpc_endpoint, "/pb.payment/GetPaymentBySn", bytes(pb.GetPaymentBySnReq(sn="PMTx"))
    )
    assert (status, raw) == (grpc.StatusCode.OK, b"\x0a\x00")  # missing: empty, present


async def test_update_trade_state_writes_the_outbox_row_with_it(payment, stub) -> None:
    uid, order = new_user(), order_sn()
    sn = await new_payment(stub, uid, order)
    assert await outbox(payment, order) == []
    none = await stub.get_payment_success_refund_by_order_sn(
        pb.GetPaymentSuccessRefundByOrderSnReq(order_sn=order)
    )
    assert none.payment_detail.id == 0

    await stub.update_trade_state(
        pb.UpdateTradeStateReq(
            sn=sn, trade_state="SUCCESS", transaction_id="4200000001", trade_type="JSAPI",
            trade_state_desc="支付成功", pay_status=1, pay_time=1700000000,
        )
    )  # fmt: skip
    assert await outbox(payment, order) == [b'{"payStatus":1,"orderSn":"' + order.encode() + b'"}']
    [row] = await payment.sql("SELECT * FROM third_payment WHERE sn = %s", (sn,))
    assert (row["pay_status"], row["trade_state"], row["transaction_id"], row["version"]) == (
        1, "SUCCESS", "4200000001", 1,
    )  # fmt: skip
    assert str(row["pay_time"]) == "2023-11-15 06:13:20"  # Asia/Shanghai wall clock

    found = await stub.get_payment_success_refund_by_order_sn(
        pb.GetPaymentSuccessRefundByOrderSnReq(order_sn=order)
    )
    assert (found.payment_detail.sn, found.payment_detail.pay_time) == (sn, 1700000000)

    # settled already: no change and no second message
    for status in (1, -1):
        assert (
            await stub.update_trade_state(
                pb.UpdateTradeStateReq(sn=sn, trade_state="CLOSED", pay_status=status)
            )
            == pb.UpdateTradeStateResp()
        )
    assert len(await outbox(payment, order)) == 1
    [again] = await payment.sql(
        "SELECT version, trade_state FROM third_payment WHERE sn = %s", (sn,)
    )
    assert (again["version"], again["trade_state"]) == (1, "SUCCESS")

    await stub.update_trade_state(pb.UpdateTradeStateReq(sn=sn, trade_state="REFUND", pay_status=2))
    assert (await outbox(payment, order))[
        -1
    ] == b'{"payStatus":2,"orderSn":"' + order.encode() + b'"}'


async def test_parallel_duplicate_notifications_apply_once_and_all_succeed(
    payment, stub
) -> None:
    """WeChat may deliver one notification several times at once: every call succeeds
    (so every callback answers SUCCESS), and the record changes, and publishes, once."""
    uid, order = new_user(), order_sn()
    sn = await new_payment(stub, uid, order)
    req = pb.UpdateTradeStateReq(
        sn=sn, trade_state="SUCCESS", transaction_id="4200000009", trade_type="JSAPI",
        trade_state_desc="支付成功", pay_status=1, pay_time=1700000000,
    )  # fmt: skip
    await asyncio.gather(*(stub.update_trade_state(req) for _ in range(6)))
    assert len(await outbox(payment, order)) == 1
    [row] = await payment.sql("SELECT pay_status, version FROM third_payment WHERE sn = %s", (sn,))
    assert (row["pay_status"], row["version"]) == (1, 1)


async def test_update_trade_state_refusals_write_nothing(payment, stub) -> None:
    order = order_sn()
    sn = await new_payment(stub, new_user(), order)
    cases = [
        ("PMT_missing", 1, "third payment record no exists"),
        (sn, 2, "Only orders with successful payment can be refunded"),
        (sn, 0, "This status is not currently supported"),
        (sn, 3, "This status is not currently supported"),
    ]
    for pay_sn, status, text in cases:
        with pytest.raises(CodeError) as err:
            await stub.update_trade_state(pb.UpdateTradeStateReq(sn=pay_sn, pay_status=status))
        assert (err.value.code, err.value.msg) == (100001, text)
    assert await outbox(payment, order) == []
    [row] = await payment.sql("SELECT version, pay_status FROM third_payment WHERE sn = %s", (sn,))
    assert (row["version"], row["pay_status"]) == (0, 0)


async def test_failed_payment_is_recorded_and_not_found_as_success(payment, stub) -> None:
    order = order_sn()
    sn = await new_payment(stub, new_user(), order)
    await stub.update_trade_state(
        pb.UpdateTradeStateReq(sn=sn, trade_state="PAYERROR", pay_status=-1)
    )
    assert await outbox(payment, order) == [b'{"payStatus":-1,"orderSn":"' + order.encode() + b'"}']
    found = await stub.get_payment_success_refund_by_order_sn(
        pb.GetPaymentSuccessRefundByOrderSnReq(order_sn=order)
    )
    assert found.payment_detail.id == 0


async def _rows(payment, order: str) -> list[dict]:
    return await payment.sql(
        "SELECT sn, pay_total, pay_status FROM third_payment WHERE order_sn = %s ORDER BY id",
        (order,),
    )


async def test_create_reuses_the_pending_payment_of_the_same_amount(payment, stub) -> None:
    uid, order = new_user(), order_sn()
    first = await new_payment(stub, uid, order)
    assert await new_payment(stub, uid, order) == first
    other = await new_payment(stub, uid, order, total=999)  # a different amount: a new record
    assert other != first
    assert await new_payment(stub, uid, order) == first
    assert [(r["sn"], r["pay_total"]) for r in await _rows(payment, order)] == [
        (first, 12345), (other, 999),
    ]  # fmt: skip


async def test_failed_payment_is_not_reused(payment, stub) -> None:
    uid, order = new_user(), order_sn()
    first = await new_payment(stub, uid, order)
    await stub.update_trade_state(pb.UpdateTradeStateReq(sn=first, pay_status=-1))
    second = await new_payment(stub, uid, order)
    assert second != first and len(await _rows(payment, order)) == 2


async def test_concurrent_creates_make_one_record(payment, stub) -> None:
    uid, order = new_user(), order_sn()
    sns = await asyncio.gather(*(new_payment(stub, uid, order) for _ in range(10)))
    assert len(set(sns)) == 1
    assert [r["sn"] for r in await _rows(payment, order)] == [sns[0]]


async def test_create_refuses_a_paid_order(payment, stub) -> None:
    uid, order = new_user(), order_sn()
    sn = await new_payment(stub, uid, order)
    paid = pb.UpdateTradeStateReq(sn=sn, trade_state="SUCCESS", pay_status=1)
    await stub.update_trade_state(paid)
    for total in (12345, 1):
        with pytest.raises(CodeError) as err:
            await new_payment(stub, uid, order, total=total)
        assert (err.value.code, err.value.msg) == (100001, ALREADY_PAID)
    assert len(await _rows(payment, order)) == 1


def test_lock_names_fit_mariadb() -> None:
    assert lock_name("HSO2024") == "looklook:pay:HSO2024"
    long_name = lock_name("x" * 200)
    assert len(long_name) <= 64 and long_name != lock_name("x" * 201)


class SlowReads(ThirdPaymentModel):
    """The real model with a pause after reading an order's payments: without the lock,
    every concurrent caller would read "none" inside that pause and insert its own."""

    async def find_open_by_order_sn(self, order_sn, conn):
        rows = await super().find_open_by_order_sn(order_sn, conn)
        await asyncio.sleep(0.05)
        return rows


@pytest.fixture
async def logic(payment, infra):
    _, redis = confs_for(infra)
    ns = unique_name("t_payment_logic") + ":"
    db = await create_database(payment.mysql)
    cache = await create_cache(redis, namespace=ns)
    yield Payments(db, SlowReads(db, cache), payment.topic)
    await db.close()
    await cache.close()
    await purge_keys(redis, ns)


async def test_lock_serialises_overlapping_creates(payment, logic) -> None:
    uid, order = new_user(), order_sn()
    req = pb.CreatePaymentReq(user_id=uid, pay_model="WECHAT_PAY", pay_total=500, order_sn=order)
    sns = {r.sn for r in await asyncio.gather(*(logic.create(req) for _ in range(10)))}
    assert len(sns) == 1 and [r["sn"] for r in await _rows(payment, order)] == list(sns)


async def test_busy_lock_is_a_clear_refusal(payment, logic, stub, monkeypatch) -> None:
    monkeypatch.setattr(paylock, "WAIT_S", 0)
    order = order_sn()
    async with paylock.order_lock(logic.db, order):  # another replica mid-CreatePayment
        with pytest.raises(CodeError) as err:
            await new_payment(stub, new_user(), order)
    assert err.value.msg == LOCK_BUSY and await _rows(payment, order) == []

"""order-mq's handler against the real order-rpc: paid, repeats, and paid-after-close."""

from __future__ import annotations

import logging

import pytest
from aiokafka import ConsumerRecord
from looklook.mq.messages import PaymentStatusMessage
from looklook.pb import pb
from looklook.rpc import rpc_client
from looklook.settings import RpcClientConf
from order.mq.payment_status import PaymentStatusHandler
from prometheus_client import REGISTRY

from .conftest import new_user, stay


@pytest.fixture
async def stub(order):
    client = rpc_client(pb.OrderStub, RpcClientConf(endpoint=order.rpc_endpoint))
    yield client
    client.close()


def record(pay_status: int, order_sn: str) -> ConsumerRecord:
    value = PaymentStatusMessage(payStatus=pay_status, orderSn=order_sn).to_bytes()
    return ConsumerRecord("t", 0, 0, 0, 0, None, value, None, 0, len(value), ())


async def new_order(stub) -> str:
    start, end = stay()
    created = await stub.create_homestay_order(
        pb.CreateHomestayOrderReq(homestay_id=7, live_start_time=start, live_end_time=end,
                                  user_id=new_user(), live_people_num=1)
    )
    return created.sn


async def state(stub, sn: str) -> int:
    resp = await stub.homestay_order_detail(pb.HomestayOrderDetailReq(sn=sn))
    return resp.homestay_order.trade_state


def paid_after_close() -> float:
    return REGISTRY.get_sample_value("order_paid_after_close_total") or 0.0


async def test_paid_message_pays_once(stub) -> None:
    handler, sn = PaymentStatusHandler(stub), await new_order(stub)
    before = paid_after_close()
    for _ in range(2):  # redelivery: no-op
        await handler(record(1, sn))
    assert await state(stub, sn) == 1 and paid_after_close() == before


async def test_paid_after_close_is_an_error_and_counted(stub, caplog) -> None:
    handler, sn = PaymentStatusHandler(stub), await new_order(stub)
    await stub.update_homestay_order_trade_state(
        pb.UpdateHomestayOrderTradeStateReq(sn=sn, trade_state=-1)  # the close job ran
    )
    before = paid_after_close()
    caplog.set_level(logging.ERROR)
    await handler(record(1, sn))  # committed, not retried: nothing more can be done here
    assert await state(stub, sn) == -1
    assert paid_after_close() == before + 1
    [err] = [r for r in caplog.records if "paid after close" in r.getMessage()]
    assert err.levelno == logging.ERROR and "refund needed" in err.getMessage()
    assert sn in err.getMessage()


async def test_other_refusals_are_not_paid_after_close(stub, caplog) -> None:
    handler, sn = PaymentStatusHandler(stub), await new_order(stub)
    before = paid_after_close()
    await handler(record(2, sn))  # refund of an unpaid order: refused, logged as before
    await handler(record(1, "HSO_missing"))
    assert await state(stub, sn) == 0 and paid_after_close() == before
    assert not [r for r in caplog.records if "paid after close" in r.getMessage()]

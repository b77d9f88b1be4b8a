"""``defer:homestay_order:close``: cancel an order still unpaid when its delay ran out.

business-rules.md §6. Two fixes (docs/compatibility.md):

* upstream retried an unknown sn forever (an empty detail looks like state 0, the
  update then fails); we recognise the empty order and finish;
* upstream cancelled on ``trade_state == 0`` alone, so a paid order whose Kafka message
  was late (broker down longer than the delay) was cancelled with the money taken. We ask
  payment-rpc first: a successful payment moves the order to paid instead (the late
  message is then a no-op). Any RPC error propagates and the task is retried: we never
  cancel while unsure.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from looklook.jobs.types import CloseOrderPayload
from looklook.pb import pb

log = logging.getLogger(__name__)

WAIT_PAY: int = 0
CANCELLED: int = -1
PAID: int = 1


class Outcome(StrEnum):
    CLOSED = "closed"
    PAID = "paid"
    UNTOUCHED = "untouched"
    UNKNOWN = "unknown"


async def _successful_payment(payment: pb.PaymentStub, order_sn: str) -> str:
    """The sn of the order's newest paid (or refunded) payment, or ``""``."""
    found = await payment.get_payment_success_refund_by_order_sn(
        pb.GetPaymentSuccessRefundByOrderSnReq(order_sn=order_sn)
    )
    detail = found.payment_detail
    return detail.sn if detail is not None and detail.id else ""


async def _set_state(order: pb.OrderStub, sn: str, state: int) -> None:
    await order.update_homestay_order_trade_state(
        pb.UpdateHomestayOrderTradeStateReq(sn=sn, trade_state=state)
    )


async def close_order(
    order: pb.OrderStub, payment: pb.PaymentStub, payload: CloseOrderPayload
) -> Outcome:
    """Close ``payload.Sn`` if unpaid; RPC errors propagate (the task is retried)."""
    detail = await order.homestay_order_detail(pb.HomestayOrderDetailReq(sn=payload.Sn))
    found = detail.homestay_order
    if found is None or not found.sn:
        log.warning("close order: no order %s, nothing to do", payload.Sn)
        return Outcome.UNKNOWN
    if found.trade_state != WAIT_PAY:
        return Outcome.UNTOUCHED
    payment_sn = await _successful_payment(payment, payload.Sn)
    if payment_sn:
        await _set_state(order, payload.Sn, PAID)
        log.warning("close order: %s was paid by %s but still unpaid here (late payment "
                    "message); marked paid instead of cancelling", payload.Sn, payment_sn)
        return Outcome.PAID
    await _set_state(order, payload.Sn, CANCELLED)
    log.info("close order: %s cancelled (unpaid)", payload.Sn)
    return Outcome.CLOSED

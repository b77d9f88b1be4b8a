"""order-mq: apply payment status messages to orders (business-rules.md §5).

``payStatus`` 1 → order state 1 (paid), 2 → 3 (refunded), anything else is ignored.
Redelivery is harmless: an order already in the target state is a no-op in order-rpc
(no second notify job). Permanent refusals (unknown order, a transition the state
machine forbids) are logged and the message committed, as upstream; transient failures
(RPC unreachable, an optimistic-lock race, DB busy) raise so the consumer group retries.

A refused "paid" for an order the close job already cancelled means the buyer paid
after close: the money is recorded by payment but the order stays cancelled, and no
refund exists (upstream neither). We log it at ERROR and count it in
``order_paid_after_close_total`` so an operator refunds (docs/compatibility.md).
"""

from __future__ import annotations

import logging
from typing import Final

from looklook.errors import DB_ERROR, CodeError
from looklook.mq.kafka import ConsumerRecord
from looklook.mq.messages import MessageFormatError, PaymentStatusMessage
from looklook.pb import pb
from prometheus_client import Counter

from order.logic import states
from order.logic.orders import UPDATE_FAILED

__all__ = ["PaymentStatusHandler"]

log = logging.getLogger(__name__)

TARGET_STATE: Final = {1: states.PAID, 2: states.REFUNDED}
PAID_AFTER_CLOSE: Final = Counter(
    "order_paid_after_close", "Payments that arrived for an already cancelled order."
)


def _transient(err: CodeError) -> bool:
    return err.code == DB_ERROR or err.msg == UPDATE_FAILED


class PaymentStatusHandler:
    def __init__(self, order: pb.OrderStub) -> None:
        self.order = order

    async def __call__(self, record: ConsumerRecord) -> None:
        try:
            msg = PaymentStatusMessage.from_bytes(record.value)
        except MessageFormatError as exc:
            log.error("payment status message dropped (%s): %r", exc, record.value)
            return
        target = TARGET_STATE.get(msg.payStatus)
        if target is None:
            return
        try:
            await self.order.update_homestay_order_trade_state(
                pb.UpdateHomestayOrderTradeStateReq(sn=msg.orderSn, trade_state=target)
            )
        except CodeError as exc:
            if _transient(exc):
                raise
            if target == states.PAID and await self._cancelled(msg.orderSn):
                PAID_AFTER_CLOSE.inc()
                log.error("paid after close: refund needed: order %s is cancelled but payment "
                          "reports it paid (see its payments by order sn)", msg.orderSn)
                return
            log.error("update homestay order state fail: %s %s: %s", msg.orderSn, target, exc)

    async def _cancelled(self, sn: str) -> bool:
        """Whether order ``sn`` is cancelled; RPC errors propagate (message retried)."""
        detail = await self.order.homestay_order_detail(pb.HomestayOrderDetailReq(sn=sn))
        found = detail.homestay_order
        return found is not None and found.trade_state == states.CANCELLED

"""payment-rpc use cases (business-rules.md §4.2, §4.4, §4.5).

``UpdateTradeState`` writes the new state and the PaymentStatusMessage for order-mq in
ONE transaction (the outbox); the relay publishes it afterwards. The message carries
the ORDER sn, not the payment sn upstream sent (docs/compatibility.md).

``CreatePayment`` never makes a second chargeable record for one order (upstream made
one per thirdPaymentWxPay call, so two confirmed prepays charged twice): under a
per-order lock it reuses the newest pending record of the same amount and refuses an
order already paid.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Final

from looklook.data import EPOCH, Database, DataError, Transaction, VersionConflict
from looklook.errors import DB_ERROR, CodeError
from looklook.mq import outbox
from looklook.mq.messages import PaymentStatusMessage
from looklook.pb import pb
from looklook.rpc.present import present
from looklook.sn import PREFIX_THIRD_PAYMENT, SHANGHAI, gen_sn

from payment.logic.paylock import LockTimeout, order_lock
from payment.models import ThirdPayment, ThirdPaymentModel

__all__ = [
    "ALREADY_PAID",
    "FAILED",
    "PAID",
    "REFUNDED",
    "SERVICE_TYPE_HOMESTAY_ORDER",
    "UNPAID",
    "Payments",
]

log = logging.getLogger(__name__)

FAILED: Final = -1
UNPAID: Final = 0
PAID: Final = 1
REFUNDED: Final = 2
SERVICE_TYPE_HOMESTAY_ORDER: Final = "homestayOrder"
ALREADY_PAID: Final = "this order has already been paid"
LOCK_BUSY: Final = "another payment for this order is being created, try again"


_VERSION_RETRIES = 5
"""Re-reads after a lost optimistic-lock race before giving up with 100005."""

def _db_error(exc: DataError) -> CodeError:
    log.error("payment db failure: %s", exc)
    return CodeError.of_code(DB_ERROR)


def _unix(dt: datetime) -> int:
    return int(dt.timestamp())


def to_detail(row: ThirdPayment | None) -> pb.PaymentDetail:
    """``tradeState`` stays 0 as upstream (the column is WeChat text; see compatibility)."""
    if row is None:
        return present(pb.PaymentDetail())
    return present(
        pb.PaymentDetail(
            id=row.id,
            sn=row.sn,
            user_id=row.user_id,
            pay_mode=row.pay_mode,
            trade_type=row.trade_type,
            trade_state=0,
            pay_total=row.pay_total,
            transaction_id=row.transaction_id,
            trade_state_desc=row.trade_state_desc,
            order_sn=row.order_sn,
            service_type=row.service_type,
            create_time=_unix(row.create_time),
            update_time=_unix(row.update_time),
            pay_status=row.pay_status,
            pay_time=_unix(row.pay_time),
        )
    )


class Payments:
    def __init__(self, db: Database, payments: ThirdPaymentModel, topic: str) -> None:
        self.db = db
        self.payments = payments
        self.topic = topic

    async def create(self, req: pb.CreatePaymentReq) -> pb.CreatePaymentResp:
        if not req.order_sn:  # no business order to protect (the API never sends this)
            return pb.CreatePaymentResp(sn=await self._insert(req))
        try:
            async with order_lock(self.db, req.order_sn) as conn:
                return pb.CreatePaymentResp(sn=await self._reuse_or_insert(req, conn))
        except LockTimeout as exc:
            log.warning("CreatePayment %s: %s", req.order_sn, exc)
            raise CodeError.of_msg(LOCK_BUSY) from exc
        except DataError as exc:
            raise _db_error(exc) from exc

    async def _reuse_or_insert(self, req: pb.CreatePaymentReq, conn: Transaction) -> str:
        """Under the order's lock: refuse if paid, reuse a pending twin, else insert."""
        rows = await self.payments.find_open_by_order_sn(req.order_sn, conn)
        if any(r.pay_status == PAID for r in rows):
            raise CodeError.of_msg(ALREADY_PAID)
        pending = next((r for r in rows if r.pay_total == req.pay_total), None)
        if pending is not None:
            # Same out_trade_no again: WeChat answers with the same prepay, and at most
            # one of them can ever be paid.
            return pending.sn
        return await self._insert(req, conn)

    async def _insert(self, req: pb.CreatePaymentReq, conn: Transaction | None = None) -> str:
        row = ThirdPayment(
            sn=gen_sn(PREFIX_THIRD_PAYMENT),
            user_id=req.user_id,
            pay_mode=req.pay_model,
            pay_total=req.pay_total,
            order_sn=req.order_sn,
            service_type=SERVICE_TYPE_HOMESTAY_ORDER,
            pay_status=UNPAID,
            pay_time=EPOCH,
        )
        try:
            await self.payments.insert(row, conn)
        except DataError as exc:
            raise _db_error(exc) from exc
        return row.sn

    async def by_sn(self, req: pb.GetPaymentBySnReq) -> pb.GetPaymentBySnResp:
        try:
            row = await self.payments.find_one_by(sn=req.sn) if req.sn else None
        except DataError as exc:
            raise _db_error(exc) from exc
        return pb.GetPaymentBySnResp(payment_detail=to_detail(row))

    async def success_or_refund_by_order_sn(
        self, req: pb.GetPaymentSuccessRefundByOrderSnReq
    ) -> pb.GetPaymentSuccessRefundByOrderSnResp:
        try:
            row = await self.payments.find_success_or_refund_by_order_sn(req.order_sn)
        except DataError as exc:
            log.error("GetPaymentSuccessRefundByOrderSn: %s", exc)
            raise CodeError.of_msg("get payment record fail") from exc
        return pb.GetPaymentSuccessRefundByOrderSnResp(payment_detail=to_detail(row))

    async def update_trade_state(self, req: pb.UpdateTradeStateReq) -> pb.UpdateTradeStateResp:
        """Apply a WeChat result once. Parallel duplicate notifications race on the row's
        version: the loser re-reads and finds the record settled (a no-op, `SUCCESS` to
        WeChat) instead of reporting a database error."""
        for _ in range(_VERSION_RETRIES):
            try:
                return await self._update_trade_state_once(req)
            except VersionConflict:
                await asyncio.sleep(0.05)
        raise CodeError.of_code(DB_ERROR)

    async def _update_trade_state_once(
        self, req: pb.UpdateTradeStateReq
    ) -> pb.UpdateTradeStateResp:
        try:
            row = await self.payments.find_one_by(sn=req.sn)
        except DataError as exc:
            raise _db_error(exc) from exc
        if row is None:
            raise CodeError.of_msg("third payment record no exists")
        if req.pay_status in (PAID, FAILED):
            if row.pay_status != UNPAID:
                return pb.UpdateTradeStateResp()  # already settled: no change, no message
        elif req.pay_status == REFUNDED:
            if row.pay_status != PAID:
                raise CodeError.of_msg("Only orders with successful payment can be refunded")
        else:
            raise CodeError.of_msg("This status is not currently supported")
        row.trade_state = req.trade_state
        row.transaction_id = req.transaction_id
        row.trade_type = req.trade_type
        row.trade_state_desc = req.trade_state_desc
        row.pay_status = req.pay_status
        row.pay_time = datetime.fromtimestamp(req.pay_time, SHANGHAI) if req.pay_time else EPOCH
        event = PaymentStatusMessage(payStatus=req.pay_status, orderSn=row.order_sn)
        try:
            async with self.db.transaction() as tx:
                await self.payments.update_with_version(row, tx)
                await outbox.add(tx, self.topic, event.to_bytes())
        except VersionConflict:
            raise  # someone else changed the row first: re-read and decide again
        except DataError as exc:
            raise _db_error(exc) from exc
        return pb.UpdateTradeStateResp()

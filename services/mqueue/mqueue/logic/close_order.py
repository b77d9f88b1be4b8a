"""``defer:homestay_order:close``: cancel an order still unpaid when its delay ran out.

business-rules.md §6. Upstream retried an unknown sn forever (an empty detail looks
like state 0, the update then fails); we recognise the empty order and finish.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from looklook.jobs.types import CloseOrderPayload
from looklook.pb import pb

log = logging.getLogger(__name__)

WAIT_PAY: int = 0
CANCELLED: int = -1


class Outcome(StrEnum):
    CLOSED = "closed"
    UNTOUCHED = "untouched"
    UNKNOWN = "unknown"


async def close_order(order: pb.OrderStub, payload: CloseOrderPayload) -> Outcome:
    """Close ``payload.Sn`` if unpaid; RPC errors propagate (the task is retried)."""
    detail = await order.homestay_order_detail(pb.HomestayOrderDetailReq(sn=payload.Sn))
    found = detail.homestay_order
    if found is None or not found.sn:
        log.warning("close order: no order %s, nothing to do", payload.Sn)
        return Outcome.UNKNOWN
    if found.trade_state != WAIT_PAY:
        return Outcome.UNTOUCHED
    await order.update_homestay_order_trade_state(
        pb.UpdateHomestayOrderTradeStateReq(sn=payload.Sn, trade_state=CANCELLED)
    )
    log.info("close order: %s cancelled (unpaid)", payload.Sn)
    return Outcome.CLOSED

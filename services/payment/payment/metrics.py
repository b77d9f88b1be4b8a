"""payment's own Prometheus counters (served on the ops port with go-zero's families)."""

from __future__ import annotations

from typing import Final

from prometheus_client import Counter

__all__ = ["DUPLICATE_PAID"]

#: a second payment of one order reported paid by WeChat: the buyer was charged twice
#: (records made before CreatePayment reused pending ones, or by upstream's Go service).
DUPLICATE_PAID: Final = Counter(
    "payment_duplicate_paid", "Orders paid by more than one payment record (refund needed)."
)

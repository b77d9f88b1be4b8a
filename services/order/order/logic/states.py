"""The homestay order trade-state machine (business-rules.md §3.5)."""

from __future__ import annotations

from typing import Final

__all__ = [
    "CANCELLED",
    "EXPIRED",
    "PAID",
    "REFUNDED",
    "USED",
    "VALID_STATES",
    "WAIT_PAY",
    "transition_error",
]

CANCELLED: Final = -1
WAIT_PAY: Final = 0
PAID: Final = 1  # paid, not yet used ("wait use")
USED: Final = 2
REFUNDED: Final = 3
EXPIRED: Final = 4
VALID_STATES: Final = frozenset({CANCELLED, WAIT_PAY, PAID, USED, REFUNDED, EXPIRED})

_NOT_SUPPORTED: Final = "Changing this status is not supported"
_ONLY_FROM: Final[dict[int, tuple[int, str]]] = {
    CANCELLED: (WAIT_PAY, "只有待支付的订单才能被取消"),
    PAID: (WAIT_PAY, "Only orders pending payment can change this status"),
    USED: (PAID, "Only unused orders can be changed to this status"),
    REFUNDED: (PAID, "Only unused orders can be changed to this status"),
    EXPIRED: (PAID, "Only unused orders can be changed to this status"),
}


def transition_error(current: int, target: int) -> str | None:
    """Upstream's refusal text for ``current → target``, or None when allowed.

    Callers handle ``current == target`` (a no-op) before asking. Values outside −1…4
    are refused (upstream stored them as is; docs/compatibility.md).
    """
    rule = _ONLY_FROM.get(target)
    if rule is None:
        return _NOT_SUPPORTED
    allowed_from, text = rule
    return None if current == allowed_from else text

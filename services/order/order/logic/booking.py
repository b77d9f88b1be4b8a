"""What a booking costs and whether it may be made (business-rules.md §3.2).

Pricing is upstream's exactly (fen): ``liveDays = trunc((end - start) / 86400)``, room
price × days, meals × people × days when ordered. The checks beyond upstream's
(docs/compatibility.md, "order create") are shared by order-api, which reports them as
parameter errors, and order-rpc, which refuses direct callers the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from looklook.pb import pb
from looklook.sn import SHANGHAI

__all__ = ["MAX_NIGHTS", "REMARK_MAX_CHARS", "Prices", "booking_problem", "live_days", "prices"]

REMARK_MAX_CHARS: Final = 64  # homestay_order.remark is varchar(64)
MAX_NIGHTS: Final = 365
DAY_S: Final = 86400
ON_SHELF: Final = 1


@dataclass(frozen=True)
class Prices:
    homestay_total: int
    food_total: int

    @property
    def order_total(self) -> int:
        return self.homestay_total + self.food_total


def live_days(start: int, end: int) -> int:
    """Integer part of the float division, as Go's ``int64(float64(d) / 86400)``."""
    return int((end - start) / DAY_S)


def prices(homestay: pb.Homestay, start: int, end: int, people: int, food: bool) -> Prices:
    days = live_days(start, end)
    food_total = homestay.food_price * people * days if food else 0
    return Prices(homestay_total=homestay.homestay_price * days, food_total=food_total)


def shanghai_date(ts: int) -> date:
    return datetime.fromtimestamp(ts, SHANGHAI).date()


def booking_problem(
    homestay: pb.Homestay,
    start: int,
    end: int,
    people: int,
    remark: str,
    today: date | None = None,
) -> str | None:
    """Why this booking must be refused (a client-fixable reason), or None.

    ``end <= start`` is not reported here: upstream answers it with its own masked
    error ("Stay at least one night") and we keep that.
    """
    if people <= 0:
        return "livePeopleNum must be at least 1"
    if homestay.people_num and people > homestay.people_num:
        return f"livePeopleNum exceeds the homestay's capacity of {homestay.people_num}"
    if len(remark) > REMARK_MAX_CHARS:
        return f"remark is longer than {REMARK_MAX_CHARS} characters"
    if homestay.row_state != ON_SHELF:
        return "homestay is not open for booking"
    if end > start and (end - start) > MAX_NIGHTS * DAY_S:
        return f"a stay is at most {MAX_NIGHTS} nights"
    if start < 0 or shanghai_date(start) < (today or datetime.now(SHANGHAI).date()):
        return "liveStartTime is in the past"
    return None

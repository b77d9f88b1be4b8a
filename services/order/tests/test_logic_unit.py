"""Pure order logic: pricing, the booking checks, the trade-state machine, conversions."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from looklook.money import fen_to_yuan
from looklook.pb import pb
from looklook.sn import SHANGHAI
from order.logic import booking, states
from order.logic.convert import to_pb
from order.models import HomestayOrder

DAY = 86400
START = 1_893_427_200  # 2030-01-01 00:00 +08:00


def homestay(**kw) -> pb.Homestay:
    base = {"id": 7, "people_num": 4, "row_state": 1, "homestay_price": 58800, "food_price": 3800}
    return pb.Homestay(**{**base, **kw})


@pytest.mark.parametrize(
    ("seconds", "days"),
    [
        (DAY, 1),
        (2 * DAY, 2),
        (int(1.9 * DAY), 1),  # truncation, never rounding
        (DAY - 1, 0),  # less than one day: a zero-price stay
        (1, 0),
        (0, 0),
        (-DAY - 1, -1),  # int() truncates toward zero like Go's int64(float64)
        (365 * DAY, 365),
    ],
)
def test_live_days_truncates(seconds, days) -> None:
    assert booking.live_days(START, START + seconds) == days


@pytest.mark.parametrize(
    ("nights", "people", "food", "room", "meals"),
    [
        (1, 1, False, 58800, 0),
        (3, 2, False, 3 * 58800, 0),  # room price does not depend on people
        (3, 2, True, 3 * 58800, 3 * 2 * 3800),
        (1, 4, True, 58800, 4 * 3800),
        (0, 3, True, 0, 0),
    ],
)
def test_prices(nights, people, food, room, meals) -> None:
    p = booking.prices(homestay(), START, START + nights * DAY + 3600, people, food)
    assert (p.homestay_total, p.food_total, p.order_total) == (room, meals, room + meals)


def test_prices_less_than_a_day_is_free() -> None:
    p = booking.prices(homestay(), START, START + DAY - 1, 2, True)
    assert p.order_total == 0


TODAY = date(2030, 1, 1)


@pytest.mark.parametrize(
    ("kw", "problem"),
    [
        ({}, None),
        ({"people": 4}, None),
        ({"people": 0}, "livePeopleNum must be at least 1"),
        ({"people": -3}, "livePeopleNum must be at least 1"),
        ({"people": 5}, "livePeopleNum exceeds the homestay's capacity of 4"),
        ({"remark": "x" * 64}, None),
        ({"remark": "界" * 64}, None),  # characters, not bytes (varchar(64) utf8mb4)
        ({"remark": "x" * 65}, "remark is longer than 64 characters"),
        ({"home": homestay(row_state=0)}, "homestay is not open for booking"),
        ({"home": homestay(people_num=0), "people": 50}, None),  # unknown capacity
        ({"end": START + 365 * DAY}, None),
        ({"end": START + 365 * DAY + 1}, "a stay is at most 365 nights"),
        ({"start": START - 1, "end": START + DAY}, "liveStartTime is in the past"),
        ({"start": -DAY, "end": DAY}, "liveStartTime is in the past"),
    ],
)
def test_booking_problem(kw, problem) -> None:
    got = booking.booking_problem(
        kw.get("home", homestay()),
        kw.get("start", START),
        kw.get("end", START + DAY),
        kw.get("people", 2),
        kw.get("remark", ""),
        today=TODAY,
    )
    assert got == problem


ALL = (-1, 0, 1, 2, 3, 4)
ALLOWED = {(0, -1), (0, 1), (1, 2), (1, 3), (1, 4)}
TEXTS = {
    -1: "只有待支付的订单才能被取消",
    0: "Changing this status is not supported",
    1: "Only orders pending payment can change this status",
    2: "Only unused orders can be changed to this status",
    3: "Only unused orders can be changed to this status",
    4: "Only unused orders can be changed to this status",
}


@pytest.mark.parametrize(("current", "target"), [(c, t) for c in ALL for t in ALL if c != t])
def test_every_transition(current, target) -> None:
    expected = None if (current, target) in ALLOWED else TEXTS[target]
    assert states.transition_error(current, target) == expected


@pytest.mark.parametrize("target", [5, -2, 99, 2**40])
def test_unknown_targets_are_refused(target) -> None:
    for current in ALL:
        assert states.transition_error(current, target) == "Changing this status is not supported"


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [(0, 0.0), (1, 0.01), (58800, 588.0), (8850, 88.5), (12345, 123.45), (-150, -1.5)],
)
def test_fen_to_yuan(fen, yuan) -> None:
    assert fen_to_yuan(fen) == yuan


def test_to_pb_dates_are_midnight_shanghai_and_all_fields_copied() -> None:
    row = HomestayOrder(
        id=3,
        sn="HSO2030010112000012345678",
        user_id=9,
        create_time=datetime(2030, 1, 1, 12, 0, 5, tzinfo=SHANGHAI),
        live_start_date=datetime(2030, 1, 1, tzinfo=SHANGHAI),  # as read from a DATE column
        live_end_date=datetime(2030, 1, 3, tzinfo=SHANGHAI),
        need_food=1,
        order_total_price=125200,
        trade_state=1,
    )
    o = to_pb(row)
    assert o.live_start_date == START and o.live_end_date == START + 2 * DAY
    assert o.create_time == START + 12 * 3600 + 5
    assert (o.id, o.sn, o.user_id, o.need_food, o.trade_state) == (3, row.sn, 9, 1, 1)
    assert o.order_total_price == 125200
    assert pb.HomestayOrder().parse(bytes(o)).need_food == 1  # field 27 on the wire

"""Unit tests of travel's response mapping: yuan prices and the comment star rule."""

from __future__ import annotations

import pytest
from looklook.pb import pb
from travel.logic.views import comment_star, homestay_view


@pytest.mark.parametrize(
    ("raw", "star"),
    [
        ("4.5", 4.5),
        ('{"overall": 3, "clean": 5}', 3.0),
        ('{"clean": 5, "location": 4}', 4.5),
        ('{"clean": "5", "note": true}', 0.0),
        ("[1, 2]", 0.0),
        ("not json", 0.0),
        ("{}", 0.0),
    ],
)
def test_comment_star(raw: str, star: float) -> None:
    assert comment_star(raw) == star


def test_homestay_view_converts_fen_to_yuan() -> None:
    view = homestay_view(
        pb.Homestay(id=1, food_price=1999, homestay_price=1, market_homestay_price=10000)
    )
    assert (view.foodPrice, view.homestayPrice, view.marketHomestayPrice) == (19.99, 0.01, 100)

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from looklook.money import fen_to_yuan, yuan_to_fen
from looklook.sn import (
    PREFIX_HOMESTAY_ORDER,
    PREFIX_THIRD_PAYMENT,
    SHANGHAI,
    gen_sn,
    random_string,
)


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [(0, 0.0), (1, 0.01), (29, 0.29), (100, 1.0), (8850, 88.5), (123456789, 1234567.89)],
)
def test_fen_to_yuan(fen: int, yuan: float) -> None:
    assert fen_to_yuan(fen) == yuan


@pytest.mark.parametrize(
    ("yuan", "fen"), [(0.29, 29), (0.57, 57), (88.5, 8850), (1.999, 199), ("12.345", 1234)]
)
def test_yuan_to_fen_truncates_on_decimal_text(yuan: float | str, fen: int) -> None:
    assert yuan_to_fen(yuan) == fen


def test_round_trip() -> None:
    for fen in range(0, 100000, 7):
        assert yuan_to_fen(fen_to_yuan(fen)) == fen


def test_gen_sn_shape_and_shanghai_time() -> None:
    now = datetime(2024, 1, 2, 7, 4, 5, tzinfo=UTC)  # 15:04:05 in Shanghai
    sn = gen_sn(PREFIX_HOMESTAY_ORDER, now)
    assert re.fullmatch(r"HSO20240102150405\d{8}", sn)
    assert len(gen_sn(PREFIX_THIRD_PAYMENT)) == 25
    naive = datetime(2024, 1, 2, 15, 4, 5)
    assert gen_sn("PMT", naive).startswith("PMT20240102150405")
    today = datetime.now(SHANGHAI).strftime("%Y%m%d")
    assert gen_sn("PMT")[3:11] in {today, datetime.now(SHANGHAI).strftime("%Y%m%d")}


def test_gen_sn_suffix_is_random() -> None:
    suffixes = {gen_sn("HSO")[-8:] for _ in range(200)}
    assert len(suffixes) > 190


def test_random_string_digits() -> None:
    s = random_string(500, "digits")
    assert len(s) == 500 and s.isdigit()


def test_random_string_all_uses_three_classes_evenly() -> None:
    s = random_string(6000)
    assert re.fullmatch(r"[0-9a-zA-Z]{6000}", s)
    classes = Counter("d" if c.isdigit() else "l" if c.islower() else "u" for c in s)
    for share in classes.values():  # expected 2000 each; 1/3 per class, not 10/62 digits
        assert 1700 < share < 2300


def test_random_string_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        random_string(-1)
    with pytest.raises(ValueError):
        random_string(3, "hex")  # type: ignore[arg-type]
    assert random_string(0) == ""

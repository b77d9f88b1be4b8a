"""Business serial numbers and random strings (contract business-rules.md §0.1)."""

from __future__ import annotations

import secrets
import string
from datetime import datetime
from typing import Final, Literal
from zoneinfo import ZoneInfo

__all__ = [
    "PREFIX_HOMESTAY_ORDER",
    "PREFIX_THIRD_PAYMENT",
    "SHANGHAI",
    "gen_sn",
    "random_string",
]

SHANGHAI: Final = ZoneInfo("Asia/Shanghai")
PREFIX_HOMESTAY_ORDER: Final = "HSO"
PREFIX_THIRD_PAYMENT: Final = "PMT"

_CLASSES: Final = (string.digits, string.ascii_lowercase, string.ascii_uppercase)


def random_string(n: int, kind: Literal["all", "digits"] = "all") -> str:
    """``n`` random characters from a CSPRNG.

    ``digits``: uniform over 0-9. ``all``: per character pick digits / lower / upper
    with probability 1/3 each, then a uniform character of that class (as upstream's
    ``Krand``, so the digit share is 1/3 rather than 10/62).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if kind == "digits":
        return "".join(secrets.choice(string.digits) for _ in range(n))
    if kind == "all":
        return "".join(secrets.choice(secrets.choice(_CLASSES)) for _ in range(n))
    raise ValueError(f"unknown kind {kind!r}")


def gen_sn(prefix: str, now: datetime | None = None) -> str:
    """``prefix`` + Asia/Shanghai ``%Y%m%d%H%M%S`` + 8 random digits (25 chars for HSO/PMT).

    A naive ``now`` is taken as Shanghai wall-clock time.
    """
    if now is None:
        now = datetime.now(SHANGHAI)
    elif now.tzinfo is not None:
        now = now.astimezone(SHANGHAI)
    return f"{prefix}{now:%Y%m%d%H%M%S}{random_string(8, 'digits')}"

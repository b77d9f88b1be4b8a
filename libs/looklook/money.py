"""Money conversion: integer fen inside the system, yuan floats over HTTP."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

__all__ = ["fen_to_yuan", "yuan_to_fen"]

_CENT = Decimal("0.01")


def fen_to_yuan(fen: int) -> float:
    """Exact decimal ``fen / 100`` truncated to 2 decimals (upstream ``Fen2Yuan``)."""
    return float((Decimal(int(fen)) / 100).quantize(_CENT, rounding=ROUND_DOWN))


def yuan_to_fen(yuan: float | int | str | Decimal) -> int:
    """``yuan * 100`` truncated toward zero, computed on the decimal text so that
    ``0.29`` gives 29 and not 28 (binary float artefacts are not money)."""
    value = yuan if isinstance(yuan, Decimal) else Decimal(str(yuan))
    return int((value * 100).to_integral_value(rounding=ROUND_DOWN))

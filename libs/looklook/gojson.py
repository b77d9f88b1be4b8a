"""JSON bytes exactly as Go's ``encoding/json`` writes them.

Clients of upstream see compact output, keys in struct declaration order, raw UTF-8,
HTML-escaped ``<``, ``>``, ``&``, escaped U+2028/U+2029, and floats in shortest form
without a forced decimal point (``100``, ``88.5``). Python's ``json`` differs on
several of these points, hence this small encoder.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from pydantic import BaseModel

__all__ = ["dumps", "format_float", "nil_if_empty"]

_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_NEEDS_ESCAPE = frozenset(_HTML_ESCAPES)


def _encode_str(s: str) -> str:
    out = encode_basestring(s)
    if not _NEEDS_ESCAPE.isdisjoint(s):
        out = "".join(_HTML_ESCAPES.get(ch, ch) for ch in out)
    return out


def format_float(f: float) -> str:
    """Go's float64 formatting: ``'f'`` with shortest digits, ``'e'`` outside [1e-6, 1e21)."""
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"json: unsupported value: {f!r}")
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        text = repr(f)  # shortest round-trip digits, 'd.ddde±XX'
        mant, _, exp = text.partition("e")
        if mant.endswith(".0"):
            mant = mant[:-2]
        sign, digits = exp[0], exp[1:]
        if sign == "-" and len(digits) == 2 and digits[0] == "0":
            digits = digits[1:]  # Go cleans e-07 to e-7 (but keeps e+21)
        return f"{mant}e{sign}{digits}"
    return format(Decimal(repr(f)).normalize(), "f")


def _encode(obj: Any, parts: list[str]) -> None:
    if obj is None:
        parts.append("null")
    elif isinstance(obj, str):
        parts.append(_encode_str(obj))
    elif isinstance(obj, bool):
        parts.append("true" if obj else "false")
    elif isinstance(obj, int):
        parts.append(str(int(obj)))
    elif isinstance(obj, float):
        parts.append(format_float(obj))
    elif isinstance(obj, BaseModel):
        _encode(obj.model_dump(mode="python", by_alias=True), parts)
    elif isinstance(obj, Mapping):
        _encode_object(obj.items(), parts)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        _encode_object(((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)), parts)
    elif isinstance(obj, enum.Enum):
        _encode(obj.value, parts)
    elif isinstance(obj, Decimal):
        parts.append(format_float(float(obj)))
    elif isinstance(obj, bytes | bytearray):  # Go encodes []byte as standard base64
        parts.append(_encode_str(base64.b64encode(obj).decode("ascii")))
    elif isinstance(obj, Sequence | set | frozenset):
        parts.append("[")
        for i, item in enumerate(obj):
            if i:
                parts.append(",")
            _encode(item, parts)
        parts.append("]")
    else:
        raise TypeError(f"json: unsupported type: {type(obj).__name__}")


def _encode_object(items: Iterable[tuple[Any, Any]], parts: list[str]) -> None:
    parts.append("{")
    first = True
    for key, value in items:
        if not first:
            parts.append(",")
        first = False
        parts.append(_encode_str(key if isinstance(key, str) else str(key)))
        parts.append(":")
        _encode(value, parts)
    parts.append("}")


def dumps(obj: Any) -> bytes:
    """Serialise ``obj`` to Go ``encoding/json`` bytes (no trailing newline).

    Supports None, bool, int, float, str, mappings (insertion order), sequences,
    pydantic models (declaration order, by alias) and dataclasses (field order).
    """
    parts: list[str] = []
    _encode(obj, parts)
    return _join_utf8(parts)


def _join_utf8(parts: list[str]) -> bytes:
    text = "".join(parts)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates are invalid UTF-8; Go replaces invalid bytes with U+FFFD.
        return "".join("\\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text).encode()


def nil_if_empty[T](seq: Iterable[T] | None) -> list[T] | None:
    """Go nil-slice semantics: an empty or missing list is emitted as ``null``."""
    if seq is None:
        return None
    items = list(seq)
    return items or None

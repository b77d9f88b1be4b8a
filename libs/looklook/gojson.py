"""JSON bytes exactly as Go's ``encoding/json`` writes them.

Clients of upstream see compact output, keys in struct declaration order, raw UTF-8,
HTML-escaped ``<``, ``>``, ``&``, escaped U+2028/U+2029, and floats in shortest form
without a forced decimal point (``100``, ``88.5``). Python's ``json`` differs on
several of these points, hence this encoder.

It is fast because CPython's C encoder does the writing: one pass in Python
(``_prepare``) turns the value into plain dicts/lists/str/int/float that the C encoder
already prints the Go way. Floats are the only values whose text differs: integral
ones become ints, and the rare ones whose ``repr`` is not Go's text (``-0``, ``1e-7``,
``0.00001``) become ``_RawNumber``s; meeting one, ``dumps`` encodes again with a
Python-level string hook that can write them unquoted. The HTML escapes are applied
to the whole text at the end: those five characters only occur inside string literals.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import math
from _json import make_encoder
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from pydantic import BaseModel

__all__ = ["dumps", "format_float", "nil_if_empty"]

_HTML_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_EXACT_INT_LIMIT = 2.0**53  # below this an integral float's shortest digits are exact


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


class _RawNumber:
    """Number text the C encoder cannot produce from a float (``-0``, ``1e-7``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _Unquoted(str):
    """A ``_RawNumber``'s text, written without quotes by ``_encode_string_or_unquoted``."""

    __slots__ = ()


class _NeedsRawNumbersError(Exception):
    """The value holds a ``_RawNumber``: encode again with the slower string hook."""


def _prepare_float(f: float) -> float | int | _RawNumber:
    """A stand-in for ``f`` that the C encoder prints as ``format_float(f)``."""
    if type(f) is not float:  # a subclass may override __repr__, which format_float uses
        return _RawNumber(format_float(f))
    a = abs(f)
    if 1e-4 <= a < 1e21:
        if not f.is_integer():
            return f  # repr is fixed-point shortest digits, like Go
        if a < _EXACT_INT_LIMIT:
            return int(f)
        return int(format_float(f))  # Go pads the shortest digits with zeros
    if a == 0.0:
        return 0 if math.copysign(1.0, f) > 0 else _RawNumber("-0")
    if a >= 1e21 and a != math.inf:
        return f  # repr 'd.ddde+XX' is Go's text
    text = format_float(f)  # raises for NaN and infinities
    return f if text == repr(f) else _RawNumber(text)


_PLAIN = frozenset({str, int, bool, type(None)})


def _prepare(obj: Any) -> Any:
    """``obj`` as plain JSON values that the C encoder writes in Go's form."""
    t = type(obj)
    if t in _PLAIN:
        return obj
    if t is dict:
        return {
            (k if type(k) is str else _key(k)): (v if type(v) in _PLAIN else _prepare(v))
            for k, v in obj.items()
        }
    if t is list or t is tuple:
        return [v if type(v) in _PLAIN else _prepare(v) for v in obj]
    if t is float:
        return _prepare_float(obj)
    return _prepare_other(obj)


def _key(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def _prepare_items(items: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    return {_key(k): _prepare(v) for k, v in items}


def _prepare_other(obj: Any) -> Any:
    """The rarer types, checked in the order (and with the errors) of Go-compatible
    rules: str before Sequence, bool before int, models before mappings."""
    if isinstance(obj, str | int):
        return obj  # subclasses: the C encoder writes the str/int value, as Go would
    if isinstance(obj, float):
        return _prepare_float(obj)
    if isinstance(obj, BaseModel):
        return _prepare(obj.model_dump(mode="python", by_alias=True))
    if isinstance(obj, Mapping):
        return _prepare_items(obj.items())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _prepare_items((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj))
    if isinstance(obj, enum.Enum):
        return _prepare(obj.value)
    if isinstance(obj, Decimal):
        return _prepare_float(float(obj))
    if isinstance(obj, bytes | bytearray):  # Go encodes []byte as standard base64
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, Sequence | set | frozenset):
        return [_prepare(v) for v in obj]
    raise TypeError(f"json: unsupported type: {type(obj).__name__}")


def _reject_raw(obj: Any) -> Any:
    if type(obj) is _RawNumber:
        raise _NeedsRawNumbersError
    raise TypeError(f"json: unsupported type: {type(obj).__name__}")  # _prepare prevents it


def _unquote_raw(obj: Any) -> Any:
    if type(obj) is _RawNumber:
        return _Unquoted(obj.text)
    raise TypeError(f"json: unsupported type: {type(obj).__name__}")


def _encode_string_or_unquoted(s: str) -> str:
    return str(s) if type(s) is _Unquoted else encode_basestring(s)


def _c_encoder(default: Callable[[Any], Any], string_encoder: Callable[[str], str]) -> Any:
    # make_encoder(markers, default, encoder, indent, key_separator, item_separator,
    # sort_keys, skipkeys, allow_nan); no circular check: a cycle is a RecursionError.
    return make_encoder(None, default, string_encoder, None, ":", ",", False, False, False)


_FAST = _c_encoder(_reject_raw, encode_basestring)  # C string encoder: no Python per string
_WITH_RAW = _c_encoder(_unquote_raw, _encode_string_or_unquoted)


def dumps(obj: Any) -> bytes:
    """Serialise ``obj`` to Go ``encoding/json`` bytes (no trailing newline).

    Supports None, bool, int, float, str, mappings (insertion order), sequences,
    pydantic models (declaration order, by alias) and dataclasses (field order).
    """
    prepared = _prepare(obj)
    try:
        text = "".join(_FAST(prepared, 0))
    except _NeedsRawNumbersError:
        text = "".join(_WITH_RAW(prepared, 0))
    for ch, escaped in _HTML_ESCAPES:
        if ch in text:
            text = text.replace(ch, escaped)
    return _utf8(text)


def _utf8(text: str) -> bytes:
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

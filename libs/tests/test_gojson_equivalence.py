"""The fast ``looklook.gojson.dumps`` must write exactly the bytes of the original, simple
pure-Python encoder (kept below as the reference) for a large generated corpus."""

from __future__ import annotations

import base64
import collections
import dataclasses
import enum
import math
import random
import struct
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

import pytest
from looklook.gojson import dumps, format_float
from looklook.web import ResponseModel
from pydantic import BaseModel, Field

# -- the reference: the first, obviously-correct implementation -----------------------

_REF_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}
_REF_ESCAPES["\u2029"] = "\\u2029"


def _ref_str(s: str) -> str:
    return "".join(_REF_ESCAPES.get(ch, ch) for ch in encode_basestring(s))


def _ref_encode(obj: Any, parts: list[str]) -> None:
    if obj is None:
        parts.append("null")
    elif isinstance(obj, str):
        parts.append(_ref_str(obj))
    elif isinstance(obj, bool):
        parts.append("true" if obj else "false")
    elif isinstance(obj, int):
        parts.append(str(int(obj)))
    elif isinstance(obj, float):
        parts.append(format_float(obj))
    elif isinstance(obj, BaseModel):
        _ref_encode(obj.model_dump(mode="python", by_alias=True), parts)
    elif isinstance(obj, Mapping):
        _ref_object(obj.items(), parts)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        _ref_object(((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)), parts)
    elif isinstance(obj, enum.Enum):
        _ref_encode(obj.value, parts)
    elif isinstance(obj, Decimal):
        parts.append(format_float(float(obj)))
    elif isinstance(obj, bytes | bytearray):
        parts.append(_ref_str(base64.b64encode(obj).decode("ascii")))
    elif isinstance(obj, Sequence | set | frozenset):
        parts.append("[")
        for i, item in enumerate(obj):
            if i:
                parts.append(",")
            _ref_encode(item, parts)
        parts.append("]")
    else:
        raise TypeError(f"json: unsupported type: {type(obj).__name__}")


def _ref_object(items: Iterable[tuple[Any, Any]], parts: list[str]) -> None:
    parts.append("{")
    for i, (key, value) in enumerate(items):
        if i:
            parts.append(",")
        parts.append(_ref_str(key if isinstance(key, str) else str(key)))
        parts.append(":")
        _ref_encode(value, parts)
    parts.append("}")


def reference_dumps(obj: Any) -> bytes:
    parts: list[str] = []
    _ref_encode(obj, parts)
    text = "".join(parts)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text).encode()


# -- the corpus -----------------------------------------------------------------------


class Color(enum.Enum):
    RED = "red"
    ONE = 1.5


class Level(enum.IntEnum):
    LOW = 1


class Mode(enum.StrEnum):
    FAST = "fa<st"


class MyFloat(float):
    pass


class MyInt(int):
    pass


class MyStr(str):
    pass


@dataclasses.dataclass
class Point:
    x: float
    label: str
    tags: list[str]


class Inner(BaseModel):
    price: float = 0
    note: str = ""


class Outer(ResponseModel):
    user_id: int = Field(0, alias="userId")
    ratio: float = 0.0
    inner: Inner = Inner()
    items: list[Inner] | None = None
    raw: bytes = b""
    amount: Decimal = Decimal("0")


_BOUNDARIES = [1e-10, 1e-9, 1e-7, 1e-6, 1e-5, 1e-4, 1e15, 1e16, 1e20, 1e21, 2.0**53]


def special_floats() -> list[float]:
    out = [0.0, -0.0, 0.1, 0.2, 0.1 + 0.2, 100.0, 88.5, 123456789.125, 1e-7, 1e21, 5e-324]
    out += [1.7976931348623157e308, 2.0**53 + 2, 1.2345678901234567e20, 9999999999999998.0]
    for b in _BOUNDARIES:
        down = up = b
        for _ in range(3):
            down, up = math.nextafter(down, 0.0), math.nextafter(up, math.inf)
            out += [down, up, -down, -up]
        out += [b, -b, b * 3, b * 1.5, b / 7]
    return out


def random_floats(rng: random.Random, n: int) -> list[float]:
    out: list[float] = []
    while len(out) < n:
        kind = rng.randrange(4)
        if kind == 0:  # any bit pattern
            (f,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
        elif kind == 1:  # human-sized prices
            f = rng.randrange(-(10**7), 10**7) / rng.choice([1, 2, 4, 10, 100, 1000])
        elif kind == 2:  # every decade
            f = rng.uniform(1, 10) * 10.0 ** rng.randrange(-30, 30)
        else:  # integral, across the 2**53 / 1e21 limits
            f = float(rng.randrange(1, 10**23)) * rng.choice([1, -1])
        if math.isfinite(f):
            out.append(f)
    return out


_ALPHABET = 'ab中文 <>&"\\/\n\r\t\b\f\x00\x1f\x7f\u2028\u2029é\U0001f600\udc80'


def random_str(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 12)))


def random_scalar(rng: random.Random) -> Any:
    pick = rng.randrange(14)
    choices: list[Any] = [
        None, True, False, rng.randrange(-(2**70), 2**70), random_str(rng),
        rng.choice(special_floats()), random_floats(rng, 1)[0], Color.RED, Level.LOW,
        Mode.FAST, Decimal(str(random_floats(rng, 1)[0])), rng.randbytes(rng.randrange(5)),
        MyFloat(rng.choice([1.0, 0.5, 1e-7])), MyInt(7) if rng.random() < 0.5 else MyStr("<x"),
    ]  # fmt: skip
    return choices[pick]


def random_value(rng: random.Random, depth: int = 0) -> Any:
    if depth >= 3 or rng.random() < 0.4:
        return random_scalar(rng)
    width = rng.randrange(0, 5)
    kind = rng.randrange(8)
    if kind == 0:
        return [random_value(rng, depth + 1) for _ in range(width)]
    if kind == 1:
        return tuple(random_value(rng, depth + 1) for _ in range(width))
    if kind == 2:
        keys: list[Any] = [random_str(rng), 1, True, None, 2.5, Level.LOW, MyStr("k")]
        return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(width)}
    if kind == 3:
        return collections.OrderedDict((random_str(rng), random_scalar(rng)) for _ in range(width))
    if kind == 4:
        return Point(rng.choice(special_floats()), random_str(rng), [random_str(rng)])
    if kind == 5:
        return frozenset(rng.randrange(100) for _ in range(width))
    inner = [Inner(price=rng.choice(special_floats()), note=random_str(rng)) for _ in range(width)]
    return Outer(
        userId=rng.randrange(10**6),
        ratio=random_floats(rng, 1)[0],
        inner=Inner(price=-0.0, note=random_str(rng)),
        items=inner,
        raw=rng.randbytes(3),
        amount=Decimal(rng.randrange(10**6)) / 100,
    )


def outcome(fn: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(value)
    except (TypeError, ValueError) as exc:
        return type(exc).__name__, str(exc)


# -- the tests ------------------------------------------------------------------------


@pytest.mark.parametrize("value", special_floats(), ids=repr)
def test_special_floats_match_reference(value: float) -> None:
    assert dumps(value) == reference_dumps(value)
    assert dumps([value, {"v": value}]) == reference_dumps([value, {"v": value}])


def test_random_floats_match_reference() -> None:
    values = random_floats(random.Random(20261203), 20000)
    assert dumps(values) == reference_dumps(values)
    mismatched = [f for f in values[:3000] if dumps(f) != reference_dumps(f)]
    assert mismatched == []


def test_generated_documents_match_reference() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        value = random_value(rng)
        assert outcome(dumps, value) == outcome(reference_dumps, value), value


def test_every_escape_matches_reference() -> None:
    every_char = "".join(chr(c) for c in range(0x80)) + "\u2028\u2029\ud800 中"
    assert dumps(every_char) == reference_dumps(every_char)
    assert dumps({every_char: [every_char]}) == reference_dumps({every_char: [every_char]})


@pytest.mark.parametrize(
    "bad",
    [float("nan"), -math.inf, [1, {"x": math.inf}], Decimal("NaN"), MyFloat("nan"), object()],
    ids=repr,
)
def test_errors_match_reference(bad: Any) -> None:
    assert outcome(dumps, bad)[0] != "ok"
    assert outcome(dumps, bad) == outcome(reference_dumps, bad)

"""Expected bytes are what Go's encoding/json (Go 1.22) writes for the same values."""

from __future__ import annotations

import builtins
import dataclasses

import pytest
from looklook.gojson import dumps, format_float, nil_if_empty
from looklook.web import ResponseModel
from pydantic import BaseModel, Field


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100.0, "100"),
        (88.5, "88.5"),
        (0.01, "0.01"),
        (0.1 + 0.2, "0.30000000000000004"),
        (123456789.12, "123456789.12"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e22, "1.5e+22"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1.25e-10, "1.25e-10"),
        (-0.5, "-0.5"),
        (0.0, "0"),
        (-0.0, "-0"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
    ],
)
def test_floats_like_go(value: float, expected: str) -> None:
    assert format_float(value) == expected
    assert dumps(value) == expected.encode()


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_floats_are_rejected(bad: float) -> None:
    with pytest.raises(ValueError):
        dumps({"x": bad})


def test_strings_raw_utf8_html_escaped() -> None:
    s = '中文 <a href="x">&</a> \u2028\u2029 \\ \n\t\r\b\f \x01 \x7f é'
    expected = (
        '"中文 \\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e \\u2028\\u2029 \\\\ '
        '\\n\\t\\r\\b\\f \\u0001 \x7f é"'
    )
    assert dumps(s) == expected.encode("utf-8")


def test_lone_surrogate_becomes_replacement_escape() -> None:
    assert dumps("a\udc80b") == b'"a\\ufffdb"'


def test_compact_and_ordered_containers() -> None:
    data = {"z": 1, "a": [True, False, None], "m": {"b": 2, "a": 1}, "t": (1, 2), "e": []}
    assert dumps(data) == b'{"z":1,"a":[true,false,null],"m":{"b":2,"a":1},"t":[1,2],"e":[]}'


def test_ints_stay_ints_and_big_ints_exact() -> None:
    assert dumps([0, -1, 2**63 - 1]) == b"[0,-1,9223372036854775807]"


class Inner(BaseModel):
    second: int = 2
    first: str = "x"


class Outer(BaseModel):
    user_id: int = Field(alias="userId")
    inner: Inner
    price: float


def test_pydantic_models_in_declaration_order_by_alias() -> None:
    obj = Outer(userId=7, inner=Inner(), price=12.0)
    assert dumps(obj) == b'{"userId":7,"inner":{"second":2,"first":"x"},"price":12}'


class Item(ResponseModel):
    id: int
    tags: list[str] | None = None


class Page(ResponseModel):
    # a field called "list" shadows the builtin inside the class body
    list: builtins.list[Item] | None = None
    total: float = 0


def test_response_models_emit_null_for_empty_lists() -> None:
    assert dumps(Page(list=[])) == b'{"list":null,"total":0}'
    page = Page(list=[Item(id=1, tags=[]), Item(id=2, tags=["a"])], total=3.5)
    assert dumps(page) == b'{"list":[{"id":1,"tags":null},{"id":2,"tags":["a"]}],"total":3.5}'


@dataclasses.dataclass
class Row:
    b: int
    a: str


def test_dataclasses_in_field_order() -> None:
    assert dumps([Row(1, "<")]) == b'[{"b":1,"a":"\\u003c"}]'


def test_bytes_as_base64_and_unsupported_types() -> None:
    assert dumps(b"\x00\xff") == b'"AP8="'
    with pytest.raises(TypeError):
        dumps(object())


def test_nil_if_empty() -> None:
    assert nil_if_empty([]) is None
    assert nil_if_empty(None) is None
    assert nil_if_empty(x for x in [1, 2]) == [1, 2]

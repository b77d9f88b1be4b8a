"""go-zero binding rules, table-driven through a real aiohttp server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from looklook.settings import HttpConf
from looklook.web import RequestModel, Route, create_app, parse_body

PARAM = "参数错误 ,"


class LoginReq(RequestModel):
    mobile: str
    age: int
    vip: bool
    score: float


class EmptyReq(RequestModel):
    pass


async def echo(request: web.Request, req: RequestModel) -> dict[str, object]:
    return req.model_dump()


@asynccontextmanager
async def client(max_bytes: int = 1048576) -> AsyncIterator[TestClient]:
    http = HttpConf(port=1, max_bytes=max_bytes)
    routes = [Route("/login", echo, LoginReq), Route("/empty", echo, EmptyReq)]
    app = create_app(name="t-api", http=http, routes=routes)
    async with TestClient(TestServer(app)) as c:
        yield c


GOOD = {"mobile": "13800000000", "age": 3, "vip": False, "score": 1}


def body(**changes: object) -> str:
    data = dict(GOOD)
    for k, v in changes.items():
        if v is KeyError:
            data.pop(k)
        else:
            data[k] = v
    return json.dumps(data)


CASES = [
    ("ok", body(), 200, None),
    ("zero values", body(mobile="", age=0, vip=False, score=0), 200, None),
    ("unknown keys ignored", body(extra=[1, 2]), 200, None),
    ("missing key", body(age=KeyError), 400, 'field "age" is not set'),
    ("first missing in declaration order", "{}", 400, 'field "mobile" is not set'),
    ("quoted number", body(age="3"), 400, 'type mismatch for field "age"'),
    ("float for int", body(age=3.5), 400, 'type mismatch for field "age"'),
    ("integral float for int", body(age=3.0), 400, 'type mismatch for field "age"'),
    ("bool for int", body(age=True), 400, 'type mismatch for field "age"'),
    ("int for bool", body(vip=1), 400, 'type mismatch for field "vip"'),
    ("number for string", body(mobile=138), 400, 'type mismatch for field "mobile"'),
    ("null for string", body(mobile=None), 400, 'type mismatch for field "mobile"'),
    ("int64 overflow", body(age=2**63), 400, 'type mismatch for field "age"'),
    ("int64 max ok", body(age=2**63 - 1), 200, None),
    ("int for float ok", body(score=7), 200, None),
    (
        "malformed json",
        "x",
        400,
        "invalid character 'x' looking for beginning of value",
    ),
    ("truncated json", '{"mobile":', 400, "unexpected end of JSON input"),
    (
        "bad key",
        "{mobile: 1}",
        400,
        "invalid character 'm' looking for beginning of object key string",
    ),
    (
        "missing comma",
        '{"a":1 "b":2}',
        400,
        "invalid character '\"' after object key:value pair",
    ),
    ("trailing data", body() + "}", 400, "invalid character '}' after top-level value"),
    ("NaN rejected", '{"score": NaN}', 400, "invalid character 'N' looking for beginning of value"),
    (
        "array body",
        "[1]",
        400,
        "json: cannot unmarshal array into Go value of type map[string]interface {}",
    ),
]


@pytest.mark.parametrize(("name", "payload", "status", "detail"), CASES, ids=[c[0] for c in CASES])
async def test_binding_table(name: str, payload: str, status: int, detail: str | None) -> None:
    async with client() as c:
        resp = await c.post(
            "/login", data=payload.encode(), headers={"Content-Type": "application/json"}
        )
        assert resp.status == status
        assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
        got = json.loads(await resp.read())
        if detail is None:
            assert got["code"] == 200
        else:
            assert got == {"code": 100002, "msg": PARAM + detail}


async def test_success_echo_values_are_typed() -> None:
    async with client() as c:
        resp = await c.post(
            "/login", data=body(age=5), headers={"Content-Type": "application/json"}
        )
        raw = await resp.read()
        assert raw == (
            b'{"code":200,"msg":"OK","data":{"mobile":"13800000000","age":5,"vip":false,"score":1}}'
        )


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {},
    ],
)
async def test_body_ignored_without_json_content_type(headers: dict[str, str]) -> None:
    async with client() as c:
        resp = await c.post("/login", data=body().encode(), headers=headers)
        assert resp.status == 400
        assert (await resp.json())["msg"] == PARAM + 'field "mobile" is not set'
        # empty request types accept anything
        assert (await c.post("/empty", data=b"garbage", headers=headers)).status == 200


async def test_content_type_only_needs_to_contain_json() -> None:
    async with client() as c:
        resp = await c.post(
            "/login", data=body(), headers={"Content-Type": "xx application/json; charset=gbk"}
        )
        assert resp.status == 200


async def test_empty_body_is_empty_object() -> None:
    async with client() as c:
        resp = await c.post("/empty", data=b"", headers={"Content-Type": "application/json"})
        assert await resp.read() == b'{"code":200,"msg":"OK","data":{}}'
        resp = await c.post("/login", data=b"", headers={"Content-Type": "application/json"})
        assert (await resp.json())["msg"] == PARAM + 'field "mobile" is not set'


async def test_chunked_body_without_length_is_ignored() -> None:
    async def gen() -> AsyncIterator[bytes]:
        yield body().encode()

    async with client() as c:
        resp = await c.post("/login", data=gen(), headers={"Content-Type": "application/json"})
        assert (await resp.json())["msg"] == PARAM + 'field "mobile" is not set'


@pytest.mark.parametrize("ctype", ["application/json", "text/plain"])
async def test_oversize_body_is_413_empty(ctype: str) -> None:
    async with client(max_bytes=64) as c:
        big = json.dumps({"mobile": "x" * 100, "age": 1, "vip": True, "score": 1})
        resp = await c.post("/login", data=big, headers={"Content-Type": ctype})
        assert resp.status == 413
        assert await resp.read() == b""
        ok = await c.post("/login", data=body(), headers={"Content-Type": "application/json"})
        assert ok.status == 200


def test_parse_body_units() -> None:
    assert parse_body(b"") == {}
    assert parse_body(b"null") == {}
    assert parse_body('{"a":"中"}'.encode()) == {"a": "中"}

"""Table-driven bad input for every order-api endpoint: upstream's code, never a 500,
nothing written."""

from __future__ import annotations

import json
import time

import pytest

from .conftest import DAY

P = "/order/v1/homestayOrder/"
CREATE, LIST, DETAIL = (
    P + "createHomestayOrder",
    P + "userHomestayOrderList",
    P + "userHomestayOrderDetail",
)
HUGE = 2**70
I64 = 2**63 - 1
PARAM = 100002
GENERIC = 100001
USER = 424242
START = int(time.time()) + 2 * DAY
GOOD = {
    "homestayId": 7,
    "isFood": False,
    "liveStartTime": START,
    "liveEndTime": START + DAY,
    "livePeopleNum": 1,
    "remark": "",
}


def js(obj) -> dict:
    return {"data": json.dumps(obj).encode(), "headers": {"Content-Type": "application/json"}}


def raw(body: str | bytes) -> dict:
    data = body.encode() if isinstance(body, str) else body
    return {"data": data, "headers": {"Content-Type": "application/json"}}


def good(**kw) -> dict:
    return js({**GOOD, **kw})


def without(key: str) -> dict:
    return js({k: v for k, v in GOOD.items() if k != key})


# (path, request kwargs, HTTP status, code (None = empty body), message or its prefix)
CASES = [
    *[(CREATE, without(k), 400, PARAM, f'参数错误 ,field "{k}" is not set') for k in GOOD],
    (CREATE, js({}), 400, PARAM, "参数错误 ,"),
    (CREATE, good(homestayId="7"), 400, PARAM, "参数错误 ,"),
    (CREATE, good(isFood=1), 400, PARAM, "参数错误 ,"),
    (CREATE, good(isFood="true"), 400, PARAM, "参数错误 ,"),
    (CREATE, good(liveStartTime=1.5), 400, PARAM, "参数错误 ,"),
    (CREATE, good(liveEndTime=None), 400, PARAM, "参数错误 ,"),
    (CREATE, good(livePeopleNum=[2]), 400, PARAM, "参数错误 ,"),
    (CREATE, good(remark=7), 400, PARAM, "参数错误 ,"),
    (CREATE, good(homestayId=HUGE), 400, PARAM, "参数错误 ,"),
    (CREATE, good(liveEndTime=HUGE), 400, PARAM, "参数错误 ,"),
    (CREATE, raw('{"homestayId":7,'), 400, PARAM, "参数错误 ,"),
    (CREATE, raw("not json"), 400, PARAM, "参数错误 ,"),
    (CREATE, raw("[]"), 400, PARAM, "参数错误 ,"),
    (CREATE, raw(b"\xff\xfe{}"), 400, PARAM, "参数错误 ,"),
    (CREATE, raw("x" * (1024 * 1024 + 1)), 413, None, ""),
    (CREATE, good(homestayId=404), 400, GENERIC, "homestay no exists"),
    (CREATE, good(homestayId=-1), 400, GENERIC, "homestay no exists"),
    (CREATE, good(liveEndTime=START), 400, GENERIC, "create homestay order fail"),
    (CREATE, good(liveEndTime=START - DAY), 400, GENERIC, "create homestay order fail"),
    (
        CREATE,
        good(liveStartTime=START - 10 * DAY, liveEndTime=START - 9 * DAY),
        400,
        PARAM,
        "参数错误 ,liveStartTime is in the past",
    ),
    (
        CREATE,
        good(liveStartTime=-I64, liveEndTime=-I64 + DAY),
        400,
        PARAM,
        "参数错误 ,liveStartTime is in the past",
    ),
    (CREATE, good(livePeopleNum=5), 400, PARAM, "参数错误 ,livePeopleNum exceeds"),
    (CREATE, good(livePeopleNum=I64), 400, PARAM, "参数错误 ,livePeopleNum exceeds"),
    (CREATE, good(livePeopleNum=0), 400, PARAM, "参数错误 ,livePeopleNum must be at least 1"),
    (CREATE, good(livePeopleNum=-1), 400, PARAM, "参数错误 ,livePeopleNum must be at least 1"),
    (CREATE, good(remark="x" * 65), 400, PARAM, "参数错误 ,remark is longer than 64"),
    (CREATE, good(remark="ü" * 10_000), 400, PARAM, "参数错误 ,remark is longer than 64"),
    (CREATE, good(liveEndTime=I64), 400, PARAM, "参数错误 ,a stay is at most 365 nights"),
    (CREATE, good(homestayId=8), 400, PARAM, "参数错误 ,homestay is not open for booking"),
    (LIST, js({}), 400, PARAM, "参数错误 ,"),
    (
        LIST,
        js({"lastId": 0, "pageSize": 10}),
        400,
        PARAM,
        '参数错误 ,field "tradeState" is not set',
    ),
    (LIST, js({"lastId": "0", "pageSize": 10, "tradeState": 0}), 400, PARAM, "参数错误 ,"),
    (LIST, js({"lastId": 0, "pageSize": 1.5, "tradeState": 0}), 400, PARAM, "参数错误 ,"),
    (LIST, js({"lastId": 0, "pageSize": HUGE, "tradeState": 0}), 400, PARAM, "参数错误 ,"),
    (LIST, js({"lastId": 0, "pageSize": 10, "tradeState": HUGE}), 400, PARAM, "参数错误 ,"),
    (LIST, js({"lastId": 0, "pageSize": 10, "tradeState": True}), 400, PARAM, "参数错误 ,"),
    (LIST, raw("{"), 400, PARAM, "参数错误 ,"),
    (LIST, js({"lastId": -5, "pageSize": -5, "tradeState": -99}), 200, 200, "OK"),
    (LIST, js({"lastId": I64, "pageSize": I64, "tradeState": -I64}), 200, 200, "OK"),
    (LIST, raw("x" * (1024 * 1024 + 1)), 413, None, ""),
    (DETAIL, js({}), 400, PARAM, '参数错误 ,field "sn" is not set'),
    (DETAIL, js({"sn": 5}), 400, PARAM, "参数错误 ,"),
    (DETAIL, js({"sn": None}), 400, PARAM, "参数错误 ,"),
    (DETAIL, raw("[1]"), 400, PARAM, "参数错误 ,"),
    (DETAIL, js({"sn": "x" * 100_000}), 200, 200, "OK"),
    (DETAIL, js({"sn": "' OR 1=1 --"}), 200, 200, "OK"),
]


async def _count(order) -> int:
    return (await order.sql("SELECT COUNT(*) AS n FROM homestay_order"))[0]["n"]


@pytest.mark.parametrize(("path", "kwargs", "status", "code", "msg"), CASES)
async def test_bad_input(order, http, path, kwargs, status, code, msg) -> None:
    before = await _count(order)
    kwargs = {**kwargs, "headers": {**kwargs["headers"], **order.auth(USER)}}
    async with http.post(order.api_url + path, **kwargs) as r:
        body = await r.read()
        assert r.status == status, body[:300]
    if code is None:
        assert body == b""
    else:
        envelope = json.loads(body)
        assert envelope["code"] == code and envelope["msg"].startswith(msg), envelope
        if code == 200:
            assert envelope["data"] in (None, {"list": None})
        else:
            assert list(envelope) == ["code", "msg"]
    assert await _count(order) == before


async def test_wrong_method_and_unknown_path(order, http) -> None:
    async with http.get(order.api_url + LIST, headers=order.auth(USER)) as r:
        assert (r.status, await r.read()) == (405, b"")
    async with http.post(order.api_url + P + "nothing", json={}, headers=order.auth(USER)) as r:
        assert (r.status, await r.read()) == (404, b"404 page not found\n")

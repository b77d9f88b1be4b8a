"""Table-driven bad input for every travel-api endpoint: upstream's code, never a 500,
nothing written."""

from __future__ import annotations

import json

import pytest

T = "/travel/v1/"
HUGE = 2**70
PARAM = 100002
TABLES = ("homestay", "homestay_activity", "homestay_business", "homestay_comment")


def js(obj) -> dict:
    return {"data": json.dumps(obj).encode(), "headers": {"Content-Type": "application/json"}}


def raw(body: str) -> dict:
    return {"data": body.encode(), "headers": {"Content-Type": "application/json"}}


CURSOR = ("homestayBussiness/homestayBussinessList", "homestayComment/commentList")
# (path, request kwargs, expected status, expected code / None = empty body / "404")
CASES = [
    *[
        case
        for path in CURSOR
        for case in (
            (T + path, js({}), 400, PARAM),
            (T + path, js({"lastId": "1", "pageSize": 1}), 400, PARAM),
            (T + path, js({"lastId": 1.5, "pageSize": 1}), 400, PARAM),
            (T + path, js({"lastId": HUGE, "pageSize": 1}), 400, PARAM),
            (T + path, js({"lastId": 0, "pageSize": -5}), 200, 200),
            (T + path, js({"lastId": 2**63 - 1, "pageSize": 2**63 - 1}), 200, 200),
            (T + path, raw('{"lastId":0,'), 400, PARAM),
        )
    ],
    (T + "homestay/homestayList", js({"page": 1}), 400, PARAM),
    (T + "homestay/homestayList", js({"page": True, "pageSize": 1}), 400, PARAM),
    (T + "homestay/homestayList", js({"page": -3, "pageSize": -1}), 200, 200),
    (T + "homestay/homestayList", js({"page": 2**62, "pageSize": 2**62}), 200, 200),
    (T + "homestay/businessList", js({"lastId": 0, "pageSize": 1}), 400, PARAM),
    (
        T + "homestay/businessList",
        js({"lastId": 0, "pageSize": 1, "homestayBusinessId": "x"}),
        400,
        PARAM,
    ),
    (
        T + "homestay/businessList",
        js({"lastId": -1, "pageSize": 3, "homestayBusinessId": -1}),
        200,
        200,
    ),
    (T + "homestay/guessList", raw("{not json"), 400, PARAM),
    (T + "homestay/guessList", js({"ignored": "ü" * 10_000}), 200, 200),
    (T + "homestay/homestayDetail", js({}), 400, PARAM),
    (T + "homestay/homestayDetail", js({"id": "7"}), 400, PARAM),
    (T + "homestay/homestayDetail", js({"id": -7}), 200, 200),
    (T + "homestay/homestayDetail", js({"id": HUGE}), 400, PARAM),
    (T + "homestayBussiness/goodBoss", raw("[]"), 400, PARAM),
    (T + "homestayBussiness/homestayBussinessDetail", js({"id": None}), 400, PARAM),
    (T + "homestayBussiness/homestayBussinessDetail", js({"id": 0}), 200, 200),
    (
        T + "homestay/homestayList",
        {"data": b"x" * (1024 * 1024 + 1), "headers": {"Content-Type": "application/json"}},
        413,
        None,
    ),
    (T + "homestay/nothing", js({}), 404, "404"),
    ("/travel/v1/homestayBusiness/goodBoss", js({}), 404, "404"),  # upstream spells it Bussiness
]


async def _counts(travel) -> list[int]:
    return [(await travel.sql(f"SELECT COUNT(*) AS n FROM {t}"))[0]["n"] for t in TABLES]


@pytest.mark.parametrize(("path", "kwargs", "status", "code"), CASES)
async def test_bad_input(travel, http, path, kwargs, status, code) -> None:
    before = await _counts(travel)
    async with http.post(travel.api_url + path, **kwargs) as r:
        body = await r.read()
        assert r.status == status, body[:300]
    if code is None:
        assert body == b""
    elif code == "404":
        assert body == b"404 page not found\n"
    else:
        envelope = json.loads(body)
        assert envelope["code"] == code
        if code == PARAM:
            assert envelope["msg"].startswith("参数错误 ,") and "data" not in envelope
    assert await _counts(travel) == before


async def test_get_is_405(travel, http) -> None:
    async with http.get(travel.api_url + T + "homestay/homestayList") as r:
        assert (r.status, await r.read()) == (405, b"")

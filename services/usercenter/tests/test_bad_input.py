"""Table-driven bad input for every usercenter-api endpoint: upstream's code, never a
500, nothing written."""

from __future__ import annotations

import json

import pytest

from .conftest import new_mobile

P = "/usercenter/v1/user/"
HUGE = 2**70
LONG = "x" * 10_000
PARAM = 100002


def raw(body: bytes | str, ctype: str = "application/json") -> dict:
    return {
        "data": body.encode() if isinstance(body, str) else body,
        "headers": {"Content-Type": ctype},
    }


def js(obj) -> dict:
    return raw(json.dumps(obj))


# (path, request kwargs, expected HTTP status, expected code or None for an empty body)
CASES = [
    (P + "register", js({}), 400, PARAM),
    (P + "register", js({"mobile": "13800000000"}), 400, PARAM),
    (P + "register", js({"mobile": 13800000000, "password": "x"}), 400, PARAM),
    (P + "register", js({"mobile": None, "password": "x"}), 400, PARAM),
    (P + "register", js({"mobile": ["1"], "password": "x"}), 400, PARAM),
    (P + "register", raw("{bad json"), 400, PARAM),
    (P + "register", raw("[1,2]"), 400, PARAM),
    (P + "register", raw("x" * (1024 * 1024 + 10)), 413, None),
    (P + "register", js({"mobile": LONG, "password": "x"}), 400, PARAM),  # char(11)
    (P + "register", js({"mobile": "1" * 12, "password": "x"}), 400, PARAM),
    (P + "register", raw('{"mobile":"1","password":"x"}', "text/plain"), 400, PARAM),
    (P + "login", js({"mobile": "1"}), 400, PARAM),
    (P + "login", js({"mobile": HUGE, "password": "x"}), 400, PARAM),
    (P + "login", js({"mobile": LONG, "password": LONG}), 400, 100001),
    (P + "login", js({"mobile": "手机号码", "password": "密码"}), 400, 100001),
    (P + "login", raw(""), 400, PARAM),
    (P + "wxMiniAuth", js({"code": "c", "iv": "i"}), 400, PARAM),
    (P + "wxMiniAuth", js({"code": 1, "iv": "i", "encryptedData": "e"}), 400, PARAM),
    (P + "wxMiniAuth", js({"code": LONG, "iv": LONG, "encryptedData": LONG}), 400, 100001),
    (P + "wxMiniAuth", js({"code": "é&<>", "iv": "", "encryptedData": ""}), 400, 100001),
    (P + "detail", js({"anything": HUGE}), 401, None),
    (P + "nope", js({}), 404, "404"),
]


async def _count(usercenter) -> tuple[int, int]:
    [u] = await usercenter.sql("SELECT COUNT(*) AS n FROM user")
    [a] = await usercenter.sql("SELECT COUNT(*) AS n FROM user_auth")
    return u["n"], a["n"]


@pytest.mark.parametrize(("path", "kwargs", "status", "code"), CASES)
async def test_bad_input(usercenter, http, path, kwargs, status, code) -> None:
    before = await _count(usercenter)
    async with http.post(usercenter.api_url + path, **kwargs) as r:
        body = await r.read()
        assert r.status == status, body[:200]
    if code is None:
        assert body == b""
    elif code == "404":
        assert body == b"404 page not found\n"
    else:
        envelope = json.loads(body)
        assert envelope["code"] == code and "data" not in envelope
        if code == PARAM:
            assert envelope["msg"].startswith("参数错误 ,")
    assert await _count(usercenter) == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_wrong_method_is_405(usercenter, http, method) -> None:
    async with http.request(method, usercenter.api_url + P + "login") as r:
        assert (r.status, await r.read()) == (405, b"")
        assert "POST" in r.headers["Allow"]


async def test_unicode_register_round_trips(usercenter, http) -> None:
    mobile = "１３８号码" + new_mobile()[:6]  # 11 characters, multi-byte
    async with http.post(
        usercenter.api_url + P + "register", json={"mobile": mobile, "password": "密码"}
    ) as r:
        assert r.status == 200
    async with http.post(
        usercenter.api_url + P + "login", json={"mobile": mobile, "password": "密码"}
    ) as r:
        assert r.status == 200

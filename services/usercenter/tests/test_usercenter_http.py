"""usercenter-api over real sockets: register, login, detail, JWT failures, verify."""

from __future__ import annotations

import time

import jwt
import pytest

from .conftest import new_mobile

REGISTER = "/usercenter/v1/user/register"
LOGIN = "/usercenter/v1/user/login"
DETAIL = "/usercenter/v1/user/detail"
VERIFY = "/usercenter/v1/auth/verify"


async def post(http, base, path, body=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.post(base + path, json=body if body is not None else {}, headers=headers) as r:
        return r.status, await r.read(), r.headers


async def test_register_login_detail(usercenter, http) -> None:
    mobile = new_mobile()
    status, body, headers = await post(
        http, usercenter.api_url, REGISTER, {"mobile": mobile, "password": "pw1"}
    )
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
    assert body.startswith(b'{"code":200,"msg":"OK","data":{"accessToken":"')
    status, body, _ = await post(
        http, usercenter.api_url, LOGIN, {"mobile": mobile, "password": "pw1"}
    )
    assert status == 200
    import json

    data = json.loads(body)["data"]
    assert list(data) == ["accessToken", "accessExpire", "refreshAfter"]
    claims = jwt.decode(data["accessToken"], usercenter.jwt_secret, algorithms=["HS256"])
    assert list(claims) == ["exp", "iat", "jwtUserId"] and claims["exp"] == data["accessExpire"]
    status, body, _ = await post(http, usercenter.api_url, DETAIL, token=data["accessToken"])
    assert status == 200
    info = json.loads(body)["data"]["userInfo"]
    assert list(info) == ["id", "mobile", "nickname", "sex", "avatar", "info"]
    assert info["id"] == claims["jwtUserId"] and info["mobile"] == mobile
    assert len(info["nickname"]) == 8  # upstream's random nickname when none is given
    [row] = await usercenter.sql("SELECT password FROM user WHERE mobile=%s", (mobile,))
    assert row["password"].startswith("$argon2id$")


async def test_register_twice_and_bad_credentials(usercenter, http) -> None:
    mobile = new_mobile()
    await post(http, usercenter.api_url, REGISTER, {"mobile": mobile, "password": "a"})
    status, body, _ = await post(
        http, usercenter.api_url, REGISTER, {"mobile": mobile, "password": "a"}
    )
    assert (status, body) == (400, b'{"code":100001,"msg":"user has been registered"}')
    status, body, _ = await post(
        http, usercenter.api_url, LOGIN, {"mobile": mobile, "password": "b"}
    )
    assert (status, body.decode()) == (400, '{"code":100001,"msg":"账号或密码不正确"}')
    status, body, _ = await post(
        http, usercenter.api_url, LOGIN, {"mobile": new_mobile(), "password": "b"}
    )
    assert (status, body.decode()) == (400, '{"code":100001,"msg":"用户不存在"}')


async def test_empty_password_can_never_log_in(usercenter, http) -> None:
    mobile = new_mobile()
    status, _, _ = await post(
        http, usercenter.api_url, REGISTER, {"mobile": mobile, "password": ""}
    )
    assert status == 200
    [row] = await usercenter.sql("SELECT password FROM user WHERE mobile=%s", (mobile,))
    assert row["password"] == ""
    status, body, _ = await post(
        http, usercenter.api_url, LOGIN, {"mobile": mobile, "password": ""}
    )
    assert (status, body.decode()) == (400, '{"code":100001,"msg":"账号或密码不正确"}')


async def test_legacy_md5_password_logs_in_and_is_rehashed(usercenter, http) -> None:
    mobile = new_mobile()
    await usercenter.sql(
        "INSERT INTO user (mobile, password, nickname, delete_time) "
        "VALUES (%s, MD5('old-secret'), 'legacy', '1970-01-01 08:00:00')",
        (mobile,),
    )
    status, _, _ = await post(
        http, usercenter.api_url, LOGIN, {"mobile": mobile, "password": "old-secret"}
    )
    assert status == 200
    [row] = await usercenter.sql("SELECT password, version FROM user WHERE mobile=%s", (mobile,))
    assert row["password"].startswith("$argon2id$") and row["version"] == 1
    status, _, _ = await post(
        http, usercenter.api_url, LOGIN, {"mobile": mobile, "password": "old-secret"}
    )
    assert status == 200


def _token(secret: str, **claims) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize(
    "make_header",
    [
        pytest.param(lambda s: None, id="missing"),
        pytest.param(lambda s: "Bearer " + _token("x" * 32, jwtUserId=1), id="forged"),
        pytest.param(
            lambda s: "Bearer " + _token(s, jwtUserId=1, exp=int(time.time()) - 5), id="expired"
        ),
        pytest.param(lambda s: "Bearer not.a.jwt", id="garbage"),
        pytest.param(
            lambda s: "Bearer " + jwt.encode({"jwtUserId": 1}, None, algorithm="none"),
            id="alg-none",
        ),
    ],
)
async def test_protected_route_rejects_bad_tokens(usercenter, http, make_header) -> None:
    header = make_header(usercenter.jwt_secret)
    headers = {"Authorization": header} if header else {}
    async with http.post(usercenter.api_url + DETAIL, json={}, headers=headers) as r:
        assert (r.status, await r.read()) == (401, b"")
    for method in ("GET", "POST"):
        async with http.request(method, usercenter.api_url + VERIFY, headers=headers) as r:
            assert (r.status, await r.read()) == (401, b"")
            assert "X-User-Id" not in r.headers


async def test_verify_endpoint_passes_user_id(usercenter, http) -> None:
    token = _token(usercenter.jwt_secret, jwtUserId=42, exp=int(time.time()) + 60)
    for method in ("GET", "POST"):
        async with http.request(
            method, usercenter.api_url + VERIFY, headers={"Authorization": token}
        ) as r:
            assert (r.status, await r.read(), r.headers["X-User-Id"]) == (200, b"", "42")


async def test_detail_of_token_without_user_id(usercenter, http) -> None:
    token = _token(usercenter.jwt_secret, exp=int(time.time()) + 60)
    status, body, _ = await post(http, usercenter.api_url, DETAIL, token=token)
    assert (status, body.decode()) == (400, '{"code":100001,"msg":"用户不存在"}')

"""wxMiniAuth against the WeChat sandbox: registration, login, linking, failures."""

from __future__ import annotations

import json

import jwt

from .conftest import new_mobile

WX = "/usercenter/v1/user/wxMiniAuth"
FAIL = b'{"code":100001,"msg":"wechat mini auth fail"}'


async def device_login(http, usercenter, phone: str) -> dict:
    async with http.post(
        usercenter.sandbox_url + "/sandbox/miniprogram/login", json={"phone": phone}
    ) as r:
        return await r.json()


async def wx_auth(http, usercenter, payload: dict, headers=None):
    body = {k: payload[k] for k in ("code", "iv", "encryptedData")}
    async with http.post(usercenter.api_url + WX, json=body, headers=headers or {}) as r:
        return r.status, await r.read()


def user_id_of(usercenter, body: bytes) -> int:
    token = json.loads(body)["data"]["accessToken"]
    return jwt.decode(token, usercenter.jwt_secret, algorithms=["HS256"])["jwtUserId"]


async def test_first_login_registers_without_jwt(usercenter, http) -> None:
    phone = new_mobile()
    login = await device_login(http, usercenter, phone)
    status, body = await wx_auth(http, usercenter, login)
    assert status == 200, body
    uid = user_id_of(usercenter, body)
    [user] = await usercenter.sql("SELECT mobile, nickname, password FROM user WHERE id=%s", (uid,))
    assert user == {"mobile": phone, "nickname": "LookLook" + phone[7:], "password": ""}
    [auth] = await usercenter.sql(
        "SELECT auth_type, auth_key FROM user_auth WHERE user_id=%s", (uid,)
    )
    assert auth == {"auth_type": "wxMini", "auth_key": login["openid"]}
    # second login of the same WeChat user: same account, nothing new written
    status, body = await wx_auth(http, usercenter, await device_login(http, usercenter, phone))
    assert status == 200 and user_id_of(usercenter, body) == uid
    [n] = await usercenter.sql("SELECT COUNT(*) AS n FROM user WHERE mobile=%s", (phone,))
    assert n["n"] == 1


async def test_wechat_identity_links_to_existing_account(usercenter, http) -> None:
    phone = new_mobile()
    async with http.post(
        usercenter.api_url + "/usercenter/v1/user/register", json={"mobile": phone, "password": "p"}
    ) as r:
        uid = user_id_of(usercenter, await r.read())
    status, body = await wx_auth(http, usercenter, await device_login(http, usercenter, phone))
    assert status == 200 and user_id_of(usercenter, body) == uid
    rows = await usercenter.sql(
        "SELECT auth_type FROM user_auth WHERE user_id=%s ORDER BY auth_type", (uid,)
    )
    assert [r["auth_type"] for r in rows] == ["system", "wxMini"]


async def test_a_valid_jwt_is_accepted_and_a_bad_one_rejected(usercenter, http) -> None:
    login = await device_login(http, usercenter, new_mobile())
    status, body = await wx_auth(http, usercenter, login, {"Authorization": "Bearer forged"})
    assert (status, body) == (401, b"")


async def test_failures_are_one_message_and_write_nothing(usercenter, http) -> None:
    [before] = await usercenter.sql("SELECT COUNT(*) AS n FROM user")
    good = await device_login(http, usercenter, new_mobile())
    cases = [
        {**good, "code": "unknown-code"},
        {**(await device_login(http, usercenter, new_mobile())), "iv": "AAAAAAAAAAAAAAAAAAAAAA=="},
        {**(await device_login(http, usercenter, new_mobile())), "encryptedData": "not base64!"},
        await device_login(http, usercenter, "123"),  # short phone: upstream panics (HTTP 500)
        await device_login(http, usercenter, ""),
    ]
    for case in cases:
        assert await wx_auth(http, usercenter, case) == (400, FAIL)
    [after] = await usercenter.sql("SELECT COUNT(*) AS n FROM user")
    assert after == before

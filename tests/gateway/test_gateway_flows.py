"""usercenter and travel through the real nginx gateway of the local stack (`make up`)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import aiohttp
import jwt
import pytest

pytestmark = pytest.mark.stack

UC = "/usercenter/v1/user/"


@pytest.fixture(scope="module")
async def gw(infra):
    async with aiohttp.ClientSession(base_url=infra.gateway_url) as http:
        try:
            async with http.post("/travel/v1/homestay/guessList", json={}) as r:
                await r.read()
        except aiohttp.ClientError as exc:
            pytest.fail(f"gateway {infra.gateway_url} not reachable ({exc}): run `make up` first")
        yield http


async def _register(gw) -> tuple[str, str]:
    mobile = "15" + "".join(secrets.choice("0123456789") for _ in range(9))
    async with gw.post(UC + "register", json={"mobile": mobile, "password": "pw"}) as r:
        assert r.status == 200
    async with gw.post(UC + "login", json={"mobile": mobile, "password": "pw"}) as r:
        return mobile, (await r.json())["data"]["accessToken"]


async def test_register_login_detail(gw) -> None:
    mobile, token = await _register(gw)
    async with gw.post(UC + "detail", json={}, headers={"Authorization": f"Bearer {token}"}) as r:
        assert r.status == 200
        assert (await r.json())["data"]["userInfo"]["mobile"] == mobile


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer "
        + jwt.encode({"jwtUserId": 1}, "forged-secret-forged-secret-forged", algorithm="HS256"),
        "Bearer garbage",
    ],
)
async def test_gateway_rejects_bad_tokens(gw, header) -> None:
    headers = {"Authorization": header} if header else {}
    async with gw.post(UC + "detail", json={}, headers=headers) as r:
        assert (r.status, await r.read()) == (401, b"")


def _stack_secret() -> str:
    """The JWT secret `make up` generated for the local stack (.run/secrets.env)."""
    env = Path(__file__).resolve().parents[2] / ".run" / "secrets.env"
    for line in env.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key == "LOOKLOOK_JWT__ACCESS_SECRET":
            return value
    pytest.fail("no LOOKLOOK_JWT__ACCESS_SECRET in .run/secrets.env: run `make up`")


async def test_expired_token_rejected(gw) -> None:
    secret = _stack_secret()
    now = int(time.time())
    expired = jwt.encode({"exp": now - 10, "iat": now - 100, "jwtUserId": 1}, secret)
    valid = jwt.encode({"exp": now + 60, "iat": now, "jwtUserId": 1}, secret)
    async with gw.post(UC + "detail", json={}, headers={"Authorization": expired}) as r:
        assert (r.status, await r.read()) == (401, b"")
    async with gw.post(UC + "detail", json={}, headers={"Authorization": valid}) as r:
        assert r.status != 401  # same secret, not expired: the gateway lets it through


async def test_client_x_user_id_is_not_trusted(gw) -> None:
    mobile, token = await _register(gw)
    headers = {"Authorization": token, "X-User-Id": "1"}
    async with gw.post(UC + "detail", json={}, headers=headers) as r:
        assert (await r.json())["data"]["userInfo"]["mobile"] == mobile
    async with gw.post(UC + "detail", json={}, headers={"X-User-Id": "1"}) as r:
        assert r.status == 401


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_verify_endpoint_not_public(gw, method) -> None:
    _, token = await _register(gw)
    async with gw.request(
        method, "/usercenter/v1/auth/verify", headers={"Authorization": token}
    ) as r:
        assert r.status == 404 and "X-User-Id" not in r.headers


async def test_travel_list_and_detail(gw) -> None:
    async with gw.post("/travel/v1/homestay/homestayList", json={"page": 1, "pageSize": 5}) as r:
        assert r.status == 200
        items = (await r.json())["data"]["list"]
    assert items, "the stack is seeded with preferred homestays"
    async with gw.post("/travel/v1/homestay/homestayDetail", json={"id": items[0]["id"]}) as r:
        assert (await r.json())["data"]["homestay"]["title"] == items[0]["title"]

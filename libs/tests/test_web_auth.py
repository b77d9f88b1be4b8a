"""JWT checks as go-zero/golang-jwt v4 do them; tokens crafted with pyjwt directly."""

from __future__ import annotations

import base64
import json
import time
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jwt as pyjwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from looklook.settings import HttpConf, JwtConf
from looklook.web import (
    InvalidTokenError,
    RequestModel,
    Route,
    create_app,
    current_user_id,
    issue_token,
    verify_token,
)

SECRET = "ae0536f9-6450-4606-8e13-5a19ed505da0"
CONF = JwtConf(access_secret=SECRET, access_expire=31536000)


class Empty(RequestModel):
    pass


async def whoami(request: web.Request, req: Empty) -> dict[str, int]:
    return {"uid": current_user_id(request)}


@asynccontextmanager
async def client() -> AsyncIterator[TestClient]:
    routes = [
        Route("/me", whoami, Empty, auth="required"),
        Route("/maybe", whoami, Empty, auth="optional"),
        Route("/public", whoami, Empty),
    ]
    app = create_app(name="t-api", http=HttpConf(port=1), routes=routes, jwt=CONF)
    async with TestClient(TestServer(app)) as c:
        yield c


def sign(claims: dict[str, Any], alg: str = "HS256", key: Any = SECRET) -> str:
    with warnings.catch_warnings():  # upstream's 36-char secret is "short" for HS384/512
        warnings.simplefilter("ignore")
        return pyjwt.encode(claims, key, algorithm=alg)


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


ALG_NONE = b64({"alg": "none", "typ": "JWT"}) + "." + b64({"jwtUserId": 1}) + "."
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)

#: Claims with ``"+N"`` / ``"-N"`` strings are seconds relative to the request time, so
#: tokens are signed when the test runs (a long suite must not expire them).
HTTP_CASES: list[tuple[str, str, dict[str, Any], str, Any, int, int | None]] = [
    ("bearer", "Bearer ", {"jwtUserId": 5}, "HS256", SECRET, 200, 5),
    ("bearer lower-case", "bearer ", {"jwtUserId": 6}, "HS256", SECRET, 200, 6),
    ("bare token", "", {"jwtUserId": 7}, "HS256", SECRET, 200, 7),
    ("HS384", "", {"jwtUserId": 8}, "HS384", SECRET, 200, 8),
    ("HS512", "", {"jwtUserId": 9}, "HS512", SECRET, 200, 9),
    ("no exp never expires", "", {"jwtUserId": 1}, "HS256", SECRET, 200, 1),
    (
        "valid exp/iat/nbf",
        "",
        {"jwtUserId": 2, "exp": "+60", "iat": "-1", "nbf": "-1"},
        "HS256",
        SECRET,
        200,
        2,
    ),
    ("missing claim -> 0", "", {"exp": "+60"}, "HS256", SECRET, 200, 0),
    ("string claim -> 0", "", {"jwtUserId": "5"}, "HS256", SECRET, 200, 0),
    ("float claim -> 0", "", {"jwtUserId": 5.0}, "HS256", SECRET, 200, 0),
    ("expired", "", {"jwtUserId": 1, "exp": "-1"}, "HS256", SECRET, 401, None),
    ("future nbf", "", {"jwtUserId": 1, "nbf": "+600"}, "HS256", SECRET, 401, None),
    ("future iat", "", {"jwtUserId": 1, "iat": "+600"}, "HS256", SECRET, 401, None),
    ("wrong secret", "", {"jwtUserId": 1}, "HS256", "x" * 36, 401, None),
    ("RS256", "", {"jwtUserId": 1}, "RS256", RSA_KEY, 401, None),
    ("exp not a number", "", {"jwtUserId": 1, "exp": "soon"}, "HS256", SECRET, 401, None),
]


def _resolve(claims: dict[str, Any]) -> dict[str, Any]:
    now = int(time.time())
    out = {}
    for k, v in claims.items():
        if k != "jwtUserId" and isinstance(v, str) and v[:1] in "+-" and v[1:].isdigit():
            v = now + int(v)
        out[k] = v
    return out


@pytest.mark.parametrize(
    ("name", "prefix", "claims", "alg", "key", "status", "uid"),
    HTTP_CASES,
    ids=[c[0] for c in HTTP_CASES],
)
async def test_required_route(
    name: str,
    prefix: str,
    claims: dict[str, Any],
    alg: str,
    key: Any,
    status: int,
    uid: int | None,
) -> None:
    headers = {"Authorization": prefix + sign(_resolve(claims), alg, key)}
    async with client() as c:
        resp = await c.post("/me", headers=headers)
        assert resp.status == status
        if status == 401:
            assert await resp.read() == b""
        else:
            assert (await resp.json())["data"] == {"uid": uid}


@pytest.mark.parametrize("header", [None, "", "Bearer abc.def", "Bearer ", ALG_NONE], ids=repr)
async def test_malformed_or_missing_token_is_401(header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    async with client() as c:
        resp = await c.post("/me", headers=headers)
        assert (resp.status, await resp.read()) == (401, b"")


async def test_optional_route_verifies_only_when_header_present() -> None:
    async with client() as c:
        assert (await (await c.post("/maybe")).json())["data"] == {"uid": 0}
        good = {"Authorization": sign({"jwtUserId": 42})}
        assert (await (await c.post("/maybe", headers=good)).json())["data"] == {"uid": 42}
        bad = {"Authorization": sign({"jwtUserId": 42}, key="y" * 36)}
        assert (await c.post("/maybe", headers=bad)).status == 401


async def test_public_route_ignores_tokens() -> None:
    async with client() as c:
        resp = await c.post("/public", headers={"Authorization": "junk"})
        assert (await resp.json())["data"] == {"uid": 0}


def test_time_claims_boundaries() -> None:
    t = sign({"exp": 1000, "iat": 900, "nbf": 900})
    assert verify_token(t, SECRET, now=999)["exp"] == 1000
    assert verify_token(t, SECRET, now=900)
    with pytest.raises(InvalidTokenError):
        verify_token(t, SECRET, now=1000)  # exp must be strictly greater than now
    with pytest.raises(InvalidTokenError):
        verify_token(t, SECRET, now=899)
    # golang-jwt v4 treats a zero time claim as absent
    assert verify_token(sign({"exp": 0, "jwtUserId": 1}), SECRET, now=5000)["jwtUserId"] == 1


def test_issue_token_matches_upstream_example() -> None:
    tok = issue_token(CONF, 5, now=1642430425)
    assert (tok.access_expire, tok.refresh_after) == (1673966425, 1658198425)
    header_b64, payload_b64, _ = tok.access_token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    assert base64.urlsafe_b64decode(pad(header_b64)) == b'{"alg":"HS256","typ":"JWT"}'
    payload = base64.urlsafe_b64decode(pad(payload_b64))
    assert payload == b'{"exp":1673966425,"iat":1642430425,"jwtUserId":5}'
    assert verify_token(tok.access_token, SECRET, now=1642430425)["jwtUserId"] == 5


def test_issued_tokens_pass_the_http_check_logic() -> None:
    tok = issue_token(JwtConf(access_secret=SECRET, access_expire=7), 77)
    assert verify_token(tok.access_token, SECRET)["jwtUserId"] == 77
    assert tok.refresh_after - (tok.access_expire - 7) == 3


def test_create_app_refuses_auth_routes_without_jwt() -> None:
    with pytest.raises(ValueError):
        create_app(name="x", http=HttpConf(port=1), routes=[Route("/a", whoami, auth="required")])

"""JWT issuing and checking as go-zero ``rest.WithJwt`` + golang-jwt v4 do.

Tokens are HMAC-signed (HS256/384/512 accepted, the algorithm taken from the header);
``none`` and asymmetric algorithms fail. Time claims are optional and checked against
whole Unix seconds: ``exp`` > now, ``iat`` <= now, ``nbf`` <= now (a zero value counts
as absent, as in golang-jwt v4). The user id is claim ``jwtUserId``.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any, Final

import jwt
from aiohttp import web

from looklook.settings import JwtConf
from looklook.web.keys import CLAIMS, USER_ID

__all__ = [
    "ALGORITHMS",
    "InvalidTokenError",
    "Token",
    "current_user_id",
    "issue_token",
    "token_from_header",
    "user_id_from_claims",
    "verify_token",
]

ALGORITHMS: Final = ("HS256", "HS384", "HS512")
_INT64_MAX: Final = 2**63 - 1
_INT64_MIN: Final = -(2**63)

_DECODE_OPTIONS: Final[Any] = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


class InvalidTokenError(Exception):
    """Any token failure; the HTTP layer answers 401 with an empty body."""


@dataclass(frozen=True, slots=True)
class Token:
    access_token: str
    access_expire: int  # absolute Unix seconds (= claim exp)
    refresh_after: int  # absolute Unix seconds, advisory


def issue_token(conf: JwtConf, user_id: int, now: int | None = None) -> Token:
    """Sign claims ``exp, iat, jwtUserId`` with HS256 (business-rules.md §1.3)."""
    iat = int(time.time()) if now is None else now
    exp = iat + conf.access_expire
    claims = {"exp": exp, "iat": iat, "jwtUserId": user_id}
    token = jwt.encode(claims, conf.access_secret, algorithm="HS256")
    return Token(token, exp, iat + conf.access_expire // 2)


def token_from_header(value: str) -> str:
    """Strip an optional case-insensitive ``Bearer `` prefix."""
    if len(value) > 6 and value[:7].lower() == "bearer ":
        return value[7:]
    return value


def _number(claims: dict[str, Any], name: str) -> float | None:
    """A time claim as a number; None if absent or zero; invalid types fail."""
    if name not in claims:
        return None
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidTokenError(f"{name} is not a number")
    return None if value == 0 else float(value)


def verify_token(token: str, secret: str, *, now: int | None = None) -> dict[str, Any]:
    """Verified claims of ``token``; raises InvalidTokenError on any failure."""
    if not token:
        raise InvalidTokenError("no token")
    try:
        # Secrets are set by operators (>= 16 chars, shared with upstream); pyjwt's advisory
        # on HMAC key length would otherwise fire for every HS384/HS512 token checked.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            claims = jwt.decode(token, secret, algorithms=list(ALGORITHMS), options=_DECODE_OPTIONS)
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
    if not isinstance(claims, dict):
        raise InvalidTokenError("claims are not an object")
    current = int(time.time()) if now is None else now
    exp, iat, nbf = _number(claims, "exp"), _number(claims, "iat"), _number(claims, "nbf")
    if exp is not None and not current < exp:
        raise InvalidTokenError("token is expired")
    if iat is not None and current < iat:
        raise InvalidTokenError("token used before issued")
    if nbf is not None and current < nbf:
        raise InvalidTokenError("token is not valid yet")
    return claims


def user_id_from_claims(claims: dict[str, Any]) -> int:
    """``jwtUserId`` when it is a JSON integer fitting int64, else 0 (upstream ctxdata)."""
    value = claims.get("jwtUserId")
    if isinstance(value, int) and not isinstance(value, bool) and _INT64_MIN <= value <= _INT64_MAX:
        return value
    return 0


def current_user_id(request: web.Request) -> int:
    """The authenticated user's id, 0 on public routes or without a usable claim."""
    uid: int = request.get(USER_ID, 0)
    return uid


def current_claims(request: web.Request) -> dict[str, Any]:
    claims: dict[str, Any] = request.get(CLAIMS, {})
    return claims

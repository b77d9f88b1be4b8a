"""usercenter-api request and response types (http-api.md §6.1), keys in contract order."""

from __future__ import annotations

from typing import Annotated

from looklook.web import RequestModel, ResponseModel
from pydantic import Field

__all__ = [
    "LoginReq",
    "RegisterReq",
    "TokenResp",
    "User",
    "UserInfoReq",
    "UserInfoResp",
    "WXMiniAuthReq",
]


class RegisterReq(RequestModel):
    # user.mobile is char(11): a longer value is the caller's mistake, not a DB error
    mobile: Annotated[str, Field(max_length=11)]
    password: str


class LoginReq(RequestModel):
    mobile: str
    password: str


class TokenResp(ResponseModel):
    """RegisterResp, LoginResp and WXMiniAuthResp share this shape."""

    accessToken: str  # noqa: N815 - JSON key
    accessExpire: int  # noqa: N815
    refreshAfter: int  # noqa: N815


class UserInfoReq(RequestModel):
    """No fields: any or no body is accepted."""


class User(ResponseModel):
    id: int
    mobile: str
    nickname: str
    sex: int
    avatar: str
    info: str


class UserInfoResp(ResponseModel):
    userInfo: User  # noqa: N815


class WXMiniAuthReq(RequestModel):
    code: str
    iv: str
    encryptedData: str  # noqa: N815

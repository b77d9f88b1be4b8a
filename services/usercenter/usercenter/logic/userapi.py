"""usercenter-api rules: register, login and detail go to usercenter-rpc (as upstream)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from looklook.pb import pb

from usercenter.api import types
from usercenter.models import AUTH_TYPE_SYSTEM

__all__ = ["UserApi", "token_resp"]


class TokenMessage(Protocol):
    access_token: str
    access_expire: int
    refresh_after: int


def token_resp(msg: TokenMessage) -> types.TokenResp:
    return types.TokenResp(
        accessToken=msg.access_token,
        accessExpire=msg.access_expire,
        refreshAfter=msg.refresh_after,
    )


@dataclass
class UserApi:
    """RPC errors pass through: business codes as they are, transport failures as the
    generic text (looklook.rpc's HTTP error mapper)."""

    rpc: pb.UsercenterStub

    async def register(self, req: types.RegisterReq) -> types.TokenResp:
        resp = await self.rpc.register(
            pb.RegisterReq(
                mobile=req.mobile,
                password=req.password,
                auth_key=req.mobile,
                auth_type=AUTH_TYPE_SYSTEM,
            )
        )
        return token_resp(resp)

    async def login(self, req: types.LoginReq) -> types.TokenResp:
        resp = await self.rpc.login(
            pb.LoginReq(auth_type=AUTH_TYPE_SYSTEM, auth_key=req.mobile, password=req.password)
        )
        return token_resp(resp)

    async def detail(self, user_id: int) -> types.UserInfoResp:
        user = (await self.rpc.get_user_info(pb.GetUserInfoReq(id=user_id))).user or pb.User()
        return types.UserInfoResp(
            userInfo=types.User(
                id=user.id,
                mobile=user.mobile,
                nickname=user.nickname,
                sex=user.sex,
                avatar=user.avatar,
                info=user.info,
            )
        )

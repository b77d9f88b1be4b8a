"""usercenter-rpc: the pb.usercenter service, each method delegating to logic.Accounts."""

from __future__ import annotations

from looklook.pb import pb

from usercenter.logic.accounts import Accounts

__all__ = ["UsercenterServer"]


class UsercenterServer(pb.UsercenterBase):
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts

    async def login(self, login_req: pb.LoginReq) -> pb.LoginResp:
        return await self.accounts.login(login_req)

    async def register(self, register_req: pb.RegisterReq) -> pb.RegisterResp:
        return await self.accounts.register(register_req)

    async def get_user_info(self, get_user_info_req: pb.GetUserInfoReq) -> pb.GetUserInfoResp:
        return await self.accounts.get_user_info(get_user_info_req)

    async def get_user_auth_by_auth_key(
        self, get_user_auth_by_auth_key_req: pb.GetUserAuthByAuthKeyReq
    ) -> pb.GetUserAuthByAuthKeyResp:
        return await self.accounts.get_user_auth_by_auth_key(get_user_auth_by_auth_key_req)

    async def get_user_auth_by_user_id(
        self, get_user_auth_by_user_id_req: pb.GetUserAuthByUserIdReq
    ) -> pb.GetUserAuthyUserIdResp:
        return await self.accounts.get_user_auth_by_user_id(get_user_auth_by_user_id_req)

    async def generate_token(self, generate_token_req: pb.GenerateTokenReq) -> pb.GenerateTokenResp:
        return await self.accounts.generate_token(generate_token_req)

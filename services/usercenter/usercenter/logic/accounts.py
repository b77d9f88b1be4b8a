"""usercenter-rpc rules (business-rules.md §1): register, login, user and auth lookups.

Error texts and codes are upstream's (errors.md §5.1). Two upstream defects are fixed
here, see docs/compatibility.md: a supplied nickname is stored, and a WeChat identity
whose phone already has an account is linked to that account.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass

from looklook import errors
from looklook.data import Database, DataError, DuplicateKey
from looklook.errors import CodeError
from looklook.pb import pb
from looklook.rpc.present import present
from looklook.sn import random_string

from usercenter.logic import passwords
from usercenter.logic.tokens import TokenIssuer
from usercenter.models import AUTH_TYPE_SYSTEM, User, UserAuth, UserAuthModel, UserModel

__all__ = ["Accounts", "user_auth_pb", "user_pb"]

log = logging.getLogger(__name__)

MSG_USER_EXISTS = "user has been registered"
MSG_NO_USER = "用户不存在"
MSG_BAD_CREDENTIALS = "账号或密码不正确"
MSG_AUTH_FAIL = "get user auth  fail"  # two spaces, as upstream


def _db_error(exc: DataError) -> CodeError:
    log.error("usercenter db error", exc_info=exc)
    return CodeError.of_code(errors.DB_ERROR)


def user_pb(user: User | None) -> pb.User:
    if user is None:
        return present(pb.User())
    return present(
        pb.User(
            id=user.id,
            mobile=user.mobile,
            nickname=user.nickname,
            sex=user.sex,
            avatar=user.avatar,
            info=user.info,
        )
    )


def user_auth_pb(auth: UserAuth | None) -> pb.UserAuth:
    if auth is None:
        return present(pb.UserAuth())
    return present(
        pb.UserAuth(
            id=auth.id, user_id=auth.user_id, auth_type=auth.auth_type, auth_key=auth.auth_key
        )
    )


@dataclass
class Accounts:
    """The usercenter use cases over the service's own tables."""

    db: Database
    users: UserModel
    auths: UserAuthModel
    tokens: TokenIssuer

    # -- register --------------------------------------------------------------------

    async def register(self, req: pb.RegisterReq) -> pb.RegisterResp:
        try:
            existing = await self.users.find_one_by(mobile=req.mobile)
        except DataError as exc:
            raise _db_error(exc) from exc
        if existing is not None:
            user_id = await self._link_identity(existing, req)
        else:
            user_id = await self._create(req)
        return pb.RegisterResp(**self.tokens.issue(user_id))

    async def _create(self, req: pb.RegisterReq) -> int:
        password = await asyncio.to_thread(passwords.hash_password, req.password)
        user = User(
            mobile=req.mobile,
            nickname=req.nickname or random_string(8),
            password=password,
        )
        try:
            async with self.db.transaction() as tx:
                user.id = await self.users.insert(user, tx)
                auth = UserAuth(user_id=user.id, auth_key=req.auth_key, auth_type=req.auth_type)
                await self.auths.insert(auth, tx)
        except DuplicateKey as exc:
            # Lost a race with a concurrent registration of the same mobile.
            log.info("duplicate registration", exc_info=exc)
            raise CodeError.of_msg(MSG_USER_EXISTS) from exc
        except DataError as exc:
            raise _db_error(exc) from exc
        return user.id

    async def _link_identity(self, user: User, req: pb.RegisterReq) -> int:
        """A non-password identity (WeChat) for a phone that already has an account:
        attach it to that account, once per identity type. Upstream refuses instead."""
        if req.auth_type in ("", AUTH_TYPE_SYSTEM) or not req.auth_key:
            raise CodeError.of_msg(MSG_USER_EXISTS)
        try:
            linked = await self.auths.find_one_by(user_id=user.id, auth_type=req.auth_type)
            if linked is not None:
                if linked.auth_key != req.auth_key:
                    raise CodeError.of_msg(MSG_USER_EXISTS)
                return user.id
            await self.auths.insert(
                UserAuth(user_id=user.id, auth_key=req.auth_key, auth_type=req.auth_type)
            )
        except DuplicateKey as exc:
            raise CodeError.of_msg(MSG_USER_EXISTS) from exc
        except DataError as exc:
            raise _db_error(exc) from exc
        return user.id

    # -- login -----------------------------------------------------------------------

    async def login(self, req: pb.LoginReq) -> pb.LoginResp:
        if req.auth_type != AUTH_TYPE_SYSTEM:
            raise CodeError.of_code(errors.SERVER_COMMON_ERROR)
        try:
            user = await self.users.find_one_by(mobile=req.auth_key)
        except DataError as exc:
            raise _db_error(exc) from exc
        if user is None:
            raise CodeError.of_msg(MSG_NO_USER)
        ok = await asyncio.to_thread(passwords.verify_password, req.password, user.password)
        if not ok:
            raise CodeError.of_msg(MSG_BAD_CREDENTIALS)
        if passwords.needs_rehash(user.password):
            await self._rehash(user, req.password)
        return pb.LoginResp(**self.tokens.issue(user.id))

    async def _rehash(self, user: User, password: str) -> None:
        """Replace a legacy MD5 hash by argon2id; a lost race or DB error only delays it."""
        new_hash = await asyncio.to_thread(passwords.hash_password, password)
        try:
            await self.users.update_with_version(dataclasses.replace(user, password=new_hash))
        except DataError:
            log.warning("password rehash skipped", extra={"user_id": user.id}, exc_info=True)

    # -- lookups ---------------------------------------------------------------------

    async def get_user_info(self, req: pb.GetUserInfoReq) -> pb.GetUserInfoResp:
        try:
            user = await self.users.find_one(req.id)
        except DataError as exc:
            raise _db_error(exc) from exc
        if user is None:
            raise CodeError.of_msg(MSG_NO_USER)
        return pb.GetUserInfoResp(user=user_pb(user))

    async def get_user_auth_by_auth_key(
        self, req: pb.GetUserAuthByAuthKeyReq
    ) -> pb.GetUserAuthByAuthKeyResp:
        auth = await self._find_auth(auth_type=req.auth_type, auth_key=req.auth_key)
        return pb.GetUserAuthByAuthKeyResp(user_auth=user_auth_pb(auth))

    async def get_user_auth_by_user_id(
        self, req: pb.GetUserAuthByUserIdReq
    ) -> pb.GetUserAuthyUserIdResp:
        auth = await self._find_auth(user_id=req.user_id, auth_type=req.auth_type)
        return pb.GetUserAuthyUserIdResp(user_auth=user_auth_pb(auth))

    async def _find_auth(self, **key: object) -> UserAuth | None:
        try:
            return await self.auths.find_one_by(**key)
        except DataError as exc:
            log.error("user auth lookup failed", exc_info=exc)
            raise CodeError.of_msg(MSG_AUTH_FAIL) from exc

    async def generate_token(self, req: pb.GenerateTokenReq) -> pb.GenerateTokenResp:
        return pb.GenerateTokenResp(**self.tokens.issue(req.user_id))

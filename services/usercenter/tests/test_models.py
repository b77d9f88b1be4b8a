"""usercenter models on a fresh database and on upstream's own dump."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from looklook.data import Cache, Database, DuplicateKey
from looklook.data.testing import STORE_VARIANTS, model_stores
from usercenter.models import (
    AUTH_TYPE_SYSTEM,
    AUTH_TYPE_WX_MINI,
    User,
    UserAuth,
    UserAuthModel,
    UserModel,
)

SQL_DIR = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(params=STORE_VARIANTS)
async def stores(request, infra) -> AsyncIterator[tuple[Database, Cache]]:
    async with model_stores(infra, "usercenter", SQL_DIR, request.param) as s:
        yield s


async def test_register_transaction_and_cached_lookups(stores):
    db, cache = stores
    users, auths = UserModel(db, cache), UserAuthModel(db, cache)
    mobile = "13912345678"
    assert await users.find_one_by(mobile=mobile) is None  # caches '*'
    async with db.transaction() as tx:
        uid = await users.insert(User(mobile=mobile, nickname="测试"), tx)
        await auths.insert(UserAuth(user_id=uid, auth_key=mobile, auth_type=AUTH_TYPE_SYSTEM), tx)

    user = await users.find_one_by(mobile=mobile)
    assert user is not None and user.id == uid and user.nickname == "测试"
    prefix = cache.namespace + "cache:looklookUsercenter:"
    assert await cache.client.get(f"{prefix}user:mobile:{mobile}") == str(uid).encode()
    doc = json.loads(await cache.client.get(f"{prefix}user:id:{uid}"))
    assert list(doc) == [
        "Id", "CreateTime", "UpdateTime", "DeleteTime", "DelState", "Version",
        "Mobile", "Password", "Nickname", "Sex", "Avatar", "Info",
    ]  # fmt: skip

    auth = await auths.find_one_by(auth_type=AUTH_TYPE_SYSTEM, auth_key=mobile)
    by_user = await auths.find_one_by(user_id=uid, auth_type=AUTH_TYPE_SYSTEM)
    assert auth is not None and auth == by_user and auth.user_id == uid
    assert await cache.client.get(f"{prefix}userAuth:authType:authKey:system:{mobile}")
    assert await cache.client.get(f"{prefix}userAuth:userId:authType:{uid}:system")
    assert await auths.find_one_by(user_id=uid, auth_type=AUTH_TYPE_WX_MINI) is None


async def test_failed_registration_rolls_back_user(stores):
    db, cache = stores
    users, auths = UserModel(db, cache), UserAuthModel(db, cache)
    first = await users.insert(User(mobile="13900000009"))
    await auths.insert(UserAuth(user_id=first, auth_key="openid-1", auth_type=AUTH_TYPE_WX_MINI))
    with pytest.raises(DuplicateKey):
        async with db.transaction() as tx:
            uid = await users.insert(User(mobile="13900000010"), tx)
            await auths.insert(
                UserAuth(user_id=uid, auth_key="openid-1", auth_type=AUTH_TYPE_WX_MINI), tx
            )
    assert await users.find_one_by(mobile="13900000010") is None
    assert await users.count() == 1

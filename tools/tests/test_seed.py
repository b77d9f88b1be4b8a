"""The demo seed on real MariaDB/Redis: complete, realistic and idempotent."""

from __future__ import annotations

import hashlib
from pathlib import Path

from argon2 import PasswordHasher
from looklook.data import create_database
from looklook.data.testing import scratch_cache, scratch_database
from looklook.settings import MySQLConf, RedisConf
from looklook_devtools import seed_data
from looklook_devtools.seed import seed

REPO = Path(__file__).resolve().parents[2]


async def rows(conf: MySQLConf, sql: str) -> list[dict]:
    db = await create_database(conf)
    try:
        return await db.fetch_all(sql)
    finally:
        await db.close()


async def test_seed_is_complete_and_idempotent(infra):
    base = MySQLConf(
        host=infra.mysql_host,
        port=infra.mysql_port,
        user=infra.mysql_user,
        password=infra.mysql_password,
        database="unused",
    )
    redis = RedisConf(host=infra.redis_host, port=infra.redis_port, db=0)
    async with (
        scratch_database(base, REPO / "services/usercenter/migrations", "t_seed") as users,
        scratch_database(base, REPO / "services/travel/migrations", "t_seed") as travel,
        scratch_cache(redis, "t_seed") as cache,
    ):
        ns = cache.namespace
        first = await seed(users, travel, redis, cache_namespace=ns)
        assert first["homestay_business"] >= 4 and first["homestay"] >= 20
        assert await seed(users, travel, redis, cache_namespace=ns) == {}

        shops = await rows(travel, "SELECT id, user_id FROM homestay_business")
        homestays = await rows(travel, "SELECT * FROM homestay")
        activities = await rows(travel, "SELECT row_type, data_id FROM homestay_activity")
        assert len(shops) >= 4 and len(homestays) >= 20
        assert all(len(h["title"]) <= 32 and h["homestay_price"] > 0 for h in homestays)
        assert all(h["banner"].count(",") >= 1 and h["food_info"] for h in homestays)
        assert any(h["title"].isascii() for h in homestays)
        assert any(not h["title"].isascii() for h in homestays)
        preferred = {a["data_id"] for a in activities if a["row_type"] == "preferredHomestay"}
        good = {a["data_id"] for a in activities if a["row_type"] == "goodBusiness"}
        assert preferred <= {h["id"] for h in homestays} and len(preferred) > len(homestays) // 2
        assert good == {s["user_id"] for s in shops}
        assert await rows(travel, "SELECT id FROM homestay_comment")

        users_rows = {
            u["mobile"]: u for u in await rows(users, "SELECT id, mobile, password FROM user")
        }
        legacy = users_rows[seed_data.LEGACY_MOBILE]
        assert legacy["password"] == hashlib.md5(b"legacy123").hexdigest()  # noqa: S324
        demo = users_rows[seed_data.DEMO_USERS[0].mobile]
        assert PasswordHasher().verify(demo["password"], seed_data.DEMO_PASSWORD)
        auths = await rows(users, "SELECT user_id, auth_key, auth_type FROM user_auth")
        assert {(a["auth_key"], a["auth_type"]) for a in auths} == {
            (m, "system") for m in users_rows
        }
        assert {s["user_id"] for s in shops} <= {u["id"] for u in users_rows.values()}

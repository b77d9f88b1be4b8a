"""Load the demo data set (seed_data.py) into the usercenter and travel databases.

Idempotent: every row is looked up by its natural key first (mobile, auth type+key,
shop owner, shop+title, activity type+data id, review text) and only missing rows are
inserted, through the services' cached models so Redis never keeps a stale ``*``.
Passwords are hashed by usercenter's own ``hash_password`` (argon2id), except
the legacy user's upstream-style MD5 hex.

CLI: ``python -m looklook_devtools.seed [--host H --port P --user U
--usercenter-db NAME --travel-db NAME --redis-host H --redis-port P --redis-db N]``;
defaults come from ``LOOKLOOK_MYSQL__*`` / ``LOOKLOOK_CACHE__*`` (passwords only from
the environment).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
from collections import Counter
from collections.abc import Awaitable, Callable

from looklook.data import Cache, Database, create_cache, create_database
from looklook.settings import MySQLConf, RedisConf
from travel.models import (
    ROW_TYPE_GOOD_BUSINESS,
    ROW_TYPE_PREFERRED_HOMESTAY,
    Homestay,
    HomestayActivity,
    HomestayActivityModel,
    HomestayBusiness,
    HomestayBusinessModel,
    HomestayComment,
    HomestayCommentModel,
    HomestayModel,
)
from usercenter.logic.passwords import hash_password
from usercenter.models import AUTH_TYPE_SYSTEM, User, UserAuth, UserAuthModel, UserModel

from looklook_devtools import seed_data as data

__all__ = ["main", "seed"]



async def _ensure[T](
    counts: Counter[str],
    kind: str,
    find: Callable[[], Awaitable[T | None]],
    make: Callable[[], Awaitable[int]],
) -> int:
    """The id of an existing row, or of a newly inserted one (counted under ``kind``)."""
    found = await find()
    if found is not None:
        return found.id  # type: ignore[attr-defined]
    counts[kind] += 1
    return await make()


class _Seeder:
    def __init__(self, users_db: Database, travel_db: Database, cache: Cache) -> None:
        self.users = UserModel(users_db, cache)
        self.auths = UserAuthModel(users_db, cache)
        self.shops = HomestayBusinessModel(travel_db, cache)
        self.homestays = HomestayModel(travel_db, cache)
        self.activities = HomestayActivityModel(travel_db, cache)
        self.comments = HomestayCommentModel(travel_db, cache)
        self.counts: Counter[str] = Counter()

    async def user(self, who: data.DemoUser, password_hash: str) -> int:
        row = User(
            mobile=who.mobile,
            password=password_hash,
            nickname=who.nickname,
            sex=who.sex,
            avatar=who.avatar,
            info=who.info,
        )
        user_id = await _ensure(
            self.counts,
            "user",
            lambda: self.users.find_one_by(mobile=who.mobile),
            lambda: self.users.insert(row),
        )
        auth = UserAuth(user_id=user_id, auth_key=who.mobile, auth_type=AUTH_TYPE_SYSTEM)
        await _ensure(
            self.counts,
            "user_auth",
            lambda: self.auths.find_one_by(auth_type=AUTH_TYPE_SYSTEM, auth_key=who.mobile),
            lambda: self.auths.insert(auth),
        )
        return user_id

    async def first(self, model, where: str, args: tuple) -> object | None:
        rows = await model.find_all(where, args, limit=1)
        return rows[0] if rows else None

    async def activity(self, row_type: str, data_id: int) -> None:
        row = HomestayActivity(row_type=row_type, data_id=data_id, row_status=1)
        await _ensure(
            self.counts,
            "homestay_activity",
            lambda: self.first(
                self.activities, "`row_type` = %s AND `data_id` = %s", (row_type, data_id)
            ),
            lambda: self.activities.insert(row),
        )

    async def business(self, index: int, shop: data.DemoBusiness, password_hash: str) -> list[int]:
        owner = await self.user(shop.landlord, password_hash)
        idx = index + 1
        row = HomestayBusiness(
            title=shop.title,
            user_id=owner,
            info=shop.info,
            boss_info=shop.boss_info,
            license_fron=f"{data.IMG}/license/{idx}-front.jpg",
            license_back=f"{data.IMG}/license/{idx}-back.jpg",
            row_state=1,
            star=shop.star,
            tags=shop.tags,
            cover=f"{data.IMG}/business/{idx}-cover.jpg",
            header_img=f"{data.IMG}/business/{idx}-header.jpg",
        )
        shop_id = await _ensure(
            self.counts,
            "homestay_business",
            lambda: self.shops.find_one_by(user_id=owner),
            lambda: self.shops.insert(row),
        )
        await self.activity(ROW_TYPE_GOOD_BUSINESS, owner)
        ids = []
        for h_index, spec in enumerate(shop.homestays):
            ids.append(await self.homestay(index, h_index, spec, shop_id, owner))
        return ids

    async def homestay(
        self, b_index: int, h_index: int, spec: data.DemoHomestay, shop_id: int, owner: int
    ) -> int:
        row = Homestay(
            title=spec.title,
            sub_title=spec.sub_title,
            banner=data.banner_for(b_index, h_index),
            info=spec.info,
            people_num=spec.people_num,
            homestay_business_id=shop_id,
            user_id=owner,
            row_state=1,
            row_type=spec.row_type,
            food_info=spec.food_info,
            food_price=spec.food_price_fen,
            homestay_price=spec.price_fen,
            market_homestay_price=spec.market_price_fen,
        )
        homestay_id = await _ensure(
            self.counts,
            "homestay",
            lambda: self.first(
                self.homestays,
                "`homestay_business_id` = %s AND `title` = %s",
                (shop_id, spec.title),
            ),
            lambda: self.homestays.insert(row),
        )
        if spec.preferred:
            await self.activity(ROW_TYPE_PREFERRED_HOMESTAY, homestay_id)
        return homestay_id

    async def comment(self, homestay_id: int, user_id: int, content: str) -> None:
        row = HomestayComment(
            homestay_id=homestay_id, user_id=user_id, content=content, star=data.COMMENT_STAR
        )
        await _ensure(
            self.counts,
            "homestay_comment",
            lambda: self.first(
                self.comments,
                "`homestay_id` = %s AND `user_id` = %s AND `content` = %s",
                (homestay_id, user_id, content),
            ),
            lambda: self.comments.insert(row),
        )


async def seed(
    usercenter: MySQLConf, travel: MySQLConf, cache: RedisConf, *, cache_namespace: str = ""
) -> dict[str, int]:
    """Insert whatever part of the demo data set is missing; returns rows inserted per table.

    ``cache_namespace`` is for tests on scratch databases, whose ids would otherwise
    collide with the real cache keys.
    """
    users_db = await create_database(usercenter)
    travel_db = await create_database(travel)
    redis = await create_cache(cache, namespace=cache_namespace)
    try:
        seeder = _Seeder(users_db, travel_db, redis)
        demo_hash = await asyncio.to_thread(hash_password, data.DEMO_PASSWORD)
        homestays = [
            await seeder.business(i, shop, demo_hash) for i, shop in enumerate(data.BUSINESSES)
        ]
        guests = [await seeder.user(u, demo_hash) for u in data.DEMO_USERS]
        legacy_md5 = hashlib.md5(data.LEGACY_PASSWORD.encode()).hexdigest()  # noqa: S324
        await seeder.user(data.LEGACY_USER, legacy_md5)
        for b_index, h_index, u_index, content in data.COMMENTS:
            await seeder.comment(homestays[b_index][h_index], guests[u_index], content)
        return dict(seeder.counts)
    finally:
        await users_db.close()
        await travel_db.close()
        await redis.close()


def main(argv: list[str] | None = None) -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m looklook_devtools.seed")
    parser.add_argument("--host", default=env("LOOKLOOK_MYSQL__HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("LOOKLOOK_MYSQL__PORT", "3306")))
    parser.add_argument("--user", default=env("LOOKLOOK_MYSQL__USER", "root"))
    parser.add_argument("--usercenter-db", default="looklook_usercenter")
    parser.add_argument("--travel-db", default="looklook_travel")
    parser.add_argument("--redis-host", default=env("LOOKLOOK_CACHE__HOST", "127.0.0.1"))
    parser.add_argument(
        "--redis-port", type=int, default=int(env("LOOKLOOK_CACHE__PORT", "6379"))
    )
    parser.add_argument("--redis-db", type=int, default=int(env("LOOKLOOK_CACHE__DB", "0")))
    args = parser.parse_args(argv)
    base = {
        "host": args.host,
        "port": args.port,
        "user": args.user,
        "password": env("LOOKLOOK_MYSQL__PASSWORD", ""),
    }
    redis = RedisConf(
        host=args.redis_host,
        port=args.redis_port,
        db=args.redis_db,
        password=env("LOOKLOOK_CACHE__PASSWORD", ""),
    )
    inserted = asyncio.run(
        seed(
            MySQLConf(**base, database=args.usercenter_db),
            MySQLConf(**base, database=args.travel_db),
            redis,
        )
    )
    total = sum(inserted.values())
    print(f"seed: {total} row(s) inserted {inserted or ''}".rstrip())  # noqa: T201
    print(f"demo users: {', '.join(u.mobile for u in data.DEMO_USERS)} / {data.DEMO_PASSWORD}")  # noqa: T201
    print(f"legacy md5 user: {data.LEGACY_MOBILE} / {data.LEGACY_PASSWORD}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Throwaway databases and cache namespaces for tests against the real MariaDB/Redis.

Every test run gets its own ``<prefix>_<random>`` database (migrated from a service's
SQL directory, dropped afterwards) and its own Redis key namespace (deleted afterwards),
so parallel runs never see each other's rows or cache keys. Services' tests use these
too: ``async with scratch_database(conf, SQL_DIR, "t_order") as db_conf: ...``.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncmy

from looklook.data.cache import Cache, create_cache
from looklook.data.migrate import migrate
from looklook.settings import MySQLConf, RedisConf

__all__ = ["drop_database", "scratch_cache", "scratch_database", "unique_name"]


def unique_name(prefix: str) -> str:
    """``prefix`` plus 8 random hex digits, e.g. ``t_data_1f2e3d4c``."""
    return f"{prefix}_{secrets.token_hex(4)}"


async def drop_database(conf: MySQLConf, name: str) -> None:
    conn = await asyncmy.connect(
        host=conf.host, port=conf.port, user=conf.user, password=conf.password
    )
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        conn.close()


@asynccontextmanager
async def scratch_database(
    base: MySQLConf, sql_dir: Path | None, prefix: str = "t_data"
) -> AsyncIterator[MySQLConf]:
    """A fresh database (migrated from ``sql_dir`` when given); yields its config."""
    name = unique_name(prefix)
    conf = base.model_copy(update={"database": name})
    await migrate(conf, sql_dir if sql_dir is not None else Path("/nonexistent"), name)
    try:
        yield conf
    finally:
        await drop_database(base, name)


@asynccontextmanager
async def scratch_cache(base: RedisConf, prefix: str = "t_data") -> AsyncIterator[Cache]:
    """A cache whose keys live under a unique namespace, removed on exit."""
    cache = await create_cache(base, namespace=unique_name(prefix) + ":")
    try:
        yield cache
    finally:
        names = [k async for k in cache.client.scan_iter(match=cache.namespace + "*")]
        if names:
            await cache.client.delete(*names)
        await cache.close()

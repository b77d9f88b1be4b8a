"""Throwaway databases and cache namespaces for tests against the real MariaDB/Redis.

Every test run gets its own ``<prefix>_<random>`` database (migrated from a service's
SQL directory, dropped afterwards) and its own Redis key namespace (deleted afterwards),
so parallel runs never see each other's rows or cache keys. Services' tests use these
too: ``async with scratch_database(conf, SQL_DIR, "t_order") as db_conf: ...``.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import asyncmy

from looklook.data.cache import Cache, create_cache
from looklook.data.db import Database, create_database
from looklook.data.migrate import migrate
from looklook.data.sqlscript import split_statements
from looklook.settings import MySQLConf, RedisConf

__all__ = [
    "InfraAddresses",
    "UPSTREAM_SQL_DIR",
    "drop_database",
    "load_script",
    "model_stores",
    "purge_keys",
    "run_sql",
    "scratch_cache",
    "scratch_database",
    "confs_for",
    "scratch_stores",
    "STORE_VARIANTS",
    "service_stores",
    "unique_name",
]

def _find_upstream_sql() -> Path:
    """Upstream's dumps are not vendored: `LOOKLOOK_UPSTREAM_SQL_DIR`, else the workspace's
    `shared/upstream-sql` (looklook.testing.shared_dir)."""
    if configured := os.environ.get("LOOKLOOK_UPSTREAM_SQL_DIR"):
        return Path(configured)
    from looklook.testing import shared_dir  # imported late: it pulls in the service layer

    return shared_dir("upstream-sql")


UPSTREAM_SQL_DIR = _find_upstream_sql()
"""Where upstream's four schema dumps are."""

_CHARSET = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"


def unique_name(prefix: str) -> str:
    """``prefix`` plus 8 random hex digits, e.g. ``t_data_1f2e3d4c``."""
    return f"{prefix}_{secrets.token_hex(4)}"


async def _run_all(conf: MySQLConf, statements: Iterable[str], database: str | None) -> None:
    conn = await asyncmy.connect(
        host=conf.host, port=conf.port, user=conf.user, password=conf.password, db=database
    )
    try:
        async with conn.cursor() as cur:
            for statement in statements:
                await cur.execute(statement)
    finally:
        conn.close()


async def run_sql(conf: MySQLConf, query: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """One autocommitted statement on ``conf.database``; rows as dicts (test assertions)."""
    from asyncmy.cursors import DictCursor

    conn = await asyncmy.connect(
        host=conf.host,
        port=conf.port,
        user=conf.user,
        password=conf.password,
        db=conf.database,
        autocommit=True,
    )
    try:
        async with conn.cursor(DictCursor) as cur:
            await cur.execute(query, args)
            return list(await cur.fetchall())
    finally:
        conn.close()


async def drop_database(conf: MySQLConf, name: str) -> None:
    await _run_all(conf, [f"DROP DATABASE IF EXISTS `{name}`"], None)


async def load_script(conf: MySQLConf, script: Path) -> None:
    """Run a SQL file (e.g. an upstream dump) statement by statement in ``conf.database``."""
    text = await asyncio.to_thread(script.read_text, encoding="utf-8")
    await _run_all(conf, split_statements(text), conf.database)


@asynccontextmanager
async def scratch_database(
    base: MySQLConf,
    sql_dir: Path | None,
    prefix: str = "t_data",
    *,
    upstream_dump: Path | None = None,
) -> AsyncIterator[MySQLConf]:
    """A fresh database, migrated from ``sql_dir`` when given; yields its config.

    ``upstream_dump`` is loaded first, to run on a database as upstream creates it.
    """
    name = unique_name(prefix)
    conf = base.model_copy(update={"database": name})
    try:
        await _run_all(base, [f"CREATE DATABASE `{name}` {_CHARSET}"], None)
        if upstream_dump is not None:
            await load_script(conf, upstream_dump)
        if sql_dir is not None:
            await migrate(conf, sql_dir, name)
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
        await purge_keys(base, cache.namespace)
        await cache.close()


async def purge_keys(conf: RedisConf, prefix: str) -> int:
    """Delete every key starting with ``prefix`` in ``conf``'s Redis DB; returns how many.

    Tests share one Redis, so each cleans up exactly its own namespace (never FLUSHDB)."""
    from redis.asyncio import Redis

    client = Redis(host=conf.host, port=conf.port, db=conf.db, password=conf.password or None)
    try:
        names = [k async for k in client.scan_iter(match=prefix + "*")]
        return int(await client.delete(*names)) if names else 0
    finally:
        await client.aclose()


@asynccontextmanager
async def scratch_stores(
    mysql: MySQLConf,
    redis: RedisConf,
    sql_dir: Path | None,
    prefix: str,
    *,
    upstream_dump: Path | None = None,
) -> AsyncIterator[tuple[Database, Cache]]:
    """An open pool on a scratch database plus a namespaced cache, for model tests."""
    async with (
        scratch_database(mysql, sql_dir, prefix, upstream_dump=upstream_dump) as conf,
        scratch_cache(redis, prefix) as cache,
    ):
        db = await create_database(conf)
        try:
            yield db, cache
        finally:
            await db.close()


class InfraAddresses(Protocol):
    """The parts of the root conftest's ``Infra`` used here (libs cannot import it)."""

    @property
    def mysql_host(self) -> str: ...
    @property
    def mysql_port(self) -> int: ...
    @property
    def mysql_user(self) -> str: ...
    @property
    def mysql_password(self) -> str: ...
    @property
    def redis_host(self) -> str: ...
    @property
    def redis_port(self) -> int: ...


def confs_for(infra: InfraAddresses) -> tuple[MySQLConf, RedisConf]:
    """MySQL/Redis settings from the root conftest's ``infra`` fixture (database unset)."""
    mysql = MySQLConf(
        host=infra.mysql_host,
        port=infra.mysql_port,
        user=infra.mysql_user,
        password=infra.mysql_password,
        database="unset",
    )
    return mysql, RedisConf(host=infra.redis_host, port=infra.redis_port)


STORE_VARIANTS = ("fresh", "upstream-dump")
"""The two databases model tests run on: our migrations alone, or upstream's dump first."""


@asynccontextmanager
async def model_stores(
    infra: InfraAddresses, service: str, sql_dir: Path, variant: str
) -> AsyncIterator[tuple[Database, Cache]]:
    """:func:`service_stores` for one of :data:`STORE_VARIANTS`; the upstream variant is
    skipped where the dumps are not checked out (CI refuses to start without them)."""
    upstream = variant == "upstream-dump"
    if upstream and not UPSTREAM_SQL_DIR.is_dir():
        import pytest

        pytest.skip(f"upstream dumps not found in {UPSTREAM_SQL_DIR}")
    async with service_stores(infra, service, sql_dir, on_upstream_dump=upstream) as s:
        yield s


@asynccontextmanager
async def service_stores(
    infra: InfraAddresses, service: str, sql_dir: Path, *, on_upstream_dump: bool
) -> AsyncIterator[tuple[Database, Cache]]:
    """Stores for a service's model tests: its migrations applied to a fresh database, or
    (``on_upstream_dump``) on top of upstream's own dump of ``looklook_<service>``."""
    mysql, redis = confs_for(infra)
    dump = UPSTREAM_SQL_DIR / f"looklook_{service}.sql" if on_upstream_dump else None
    async with scratch_stores(mysql, redis, sql_dir, f"t_{service}", upstream_dump=dump) as s:
        yield s

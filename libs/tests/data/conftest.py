"""Fixtures of the data-layer tests: a migrated scratch database and cache namespace."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from looklook.data import Cache, Database, create_database
from looklook.data.testing import scratch_cache, scratch_database

from .support import SQL_DIR, GadgetModel, mysql_conf, redis_conf


@pytest.fixture(scope="module")

async def db(infra) -> AsyncIterator[Database]:
    async with scratch_database(mysql_conf(infra), SQL_DIR, "t_data") as conf:
        database = await create_database(conf)
        try:
            yield database
        finally:
            await database.close()


@pytest.fixture
async def cache(infra) -> AsyncIterator[Cache]:
    async with scratch_cache(redis_conf(infra), "t_data") as c:
        yield c


@pytest.fixture
async def gadgets(db: Database, cache: Cache) -> AsyncIterator[GadgetModel]:
    await db.execute("DELETE FROM gadget")
    yield GadgetModel(db, cache)

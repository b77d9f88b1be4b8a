"""Store failures surface as DataError (never a raw driver error), Redis outages degrade."""

from __future__ import annotations

import pytest
from looklook.data import DataError, create_cache, create_database
from looklook.settings import MySQLConf, RedisConf
from prometheus_client import REGISTRY

from .support import Gadget, GadgetModel


async def test_unreachable_mysql_is_a_data_error():
    with pytest.raises(DataError):
        await create_database(MySQLConf(port=1, database="x", connect_timeout_s=1))


async def test_bad_sql_is_a_data_error_and_counted(db):
    def errors() -> float:
        return sum(
            sample.value
            for metric in REGISTRY.collect()
            if metric.name == "sql_client_requests_error"
            for sample in metric.samples
            if sample.name.endswith("_total") and sample.labels.get("command") == "query"
        )

    before = errors()
    with pytest.raises(DataError) as caught:
        await db.fetch_all("SELECT no_such_column FROM gadget")
    assert caught.value.__cause__ is not None
    assert errors() - before == 1


async def test_reads_fall_back_to_mysql_when_redis_is_down(db):
    await db.execute("DELETE FROM gadget")
    down = await create_cache(RedisConf(port=1))
    model = GadgetModel(db, down)
    new_id = await model.insert(Gadget(code="r-1"))  # cache delete fails: logged, not raised
    found = await model.find_one(new_id)
    assert found is not None and found.code == "r-1"
    by_code = await model.find_one_by(code="r-1")
    assert by_code is not None and by_code.id == new_id
    with pytest.raises(DataError):
        await down.ping()
    await down.close()

"""CachedModel against real MariaDB + Redis: SQL behaviour and go-zero cache keys."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest
from looklook.data import DuplicateKey, NotFound, VersionConflict
from looklook.sn import SHANGHAI
from prometheus_client import REGISTRY

from .support import Gadget, GadgetModel

PREFIX = "cache:looklookTest:gadget:"
DAY = datetime(2024, 5, 1, tzinfo=SHANGHAI)


def gadget(code: str = "g-1", owner: int = 7, kind: str = "lamp") -> Gadget:
    return Gadget(code=code, owner_id=owner, kind=kind, rating=4.5, ship_date=DAY)


async def raw(model: GadgetModel, key: str) -> bytes | None:
    return await model.cache.client.get(model.cache.redis_key(key))


async def ttl(model: GadgetModel, key: str) -> int:
    return await model.cache.client.ttl(model.cache.redis_key(key))


async def test_insert_forces_live_row_and_find_one_caches_go_json(gadgets: GadgetModel):
    row = gadget()
    row.del_state, row.delete_time = 1, DAY  # ignored: inserts are always live
    new_id = await gadgets.insert(row)
    found = await gadgets.find_one(new_id)
    assert found is not None and found.id == new_id
    assert found.del_state == 0 and found.delete_time == datetime(1970, 1, 1, 8, tzinfo=SHANGHAI)
    assert found.ship_date == DAY and found.rating == 4.5 and found.create_time.tzinfo

    cached = await raw(gadgets, f"{PREFIX}id:{new_id}")
    assert cached is not None
    doc = json.loads(cached)
    assert list(doc) == [
        "Id", "CreateTime", "UpdateTime", "DeleteTime", "DelState", "Version",
        "Code", "OwnerId", "Kind", "Rating", "ShipDate",
    ]  # fmt: skip
    assert doc["DeleteTime"] == "1970-01-01T08:00:00+08:00"
    assert doc["ShipDate"] == "2024-05-01T00:00:00+08:00"
    assert doc["Rating"] == 4.5 and doc["Id"] == new_id
    assert doc["CreateTime"].endswith("+08:00") and "." not in doc["CreateTime"]
    assert 0.95 * 7 * 86400 - 2 <= await ttl(gadgets, f"{PREFIX}id:{new_id}") <= 1.05 * 7 * 86400


async def test_unique_lookup_stores_index_as_json_number(gadgets: GadgetModel):
    new_id = await gadgets.insert(gadget())
    by_code = await gadgets.find_one_by(code="g-1")
    assert await raw(gadgets, f"{PREFIX}code:g-1") == str(new_id).encode()
    index_ttl = await ttl(gadgets, f"{PREFIX}code:g-1")
    row_ttl = await ttl(gadgets, f"{PREFIX}id:{new_id}")
    assert index_ttl + 4 <= row_ttl <= index_ttl + 6  # the row outlives its index by 5 s

    by_pair = await gadgets.find_one_by(kind="lamp", owner_id=7)  # order-insensitive
    assert by_code == by_pair and by_code is not None and by_code.id == new_id
    assert await raw(gadgets, f"{PREFIX}ownerId:kind:7:lamp") == str(new_id).encode()
    with pytest.raises(TypeError):
        await gadgets.find_one_by(kind="lamp")


async def test_miss_stores_placeholder_and_insert_clears_it(gadgets: GadgetModel):
    assert await gadgets.find_one_by(code="nope") is None
    assert await raw(gadgets, f"{PREFIX}code:nope") == b"*"
    assert 55 <= await ttl(gadgets, f"{PREFIX}code:nope") <= 63
    assert await gadgets.find_one(999999) is None
    assert await raw(gadgets, f"{PREFIX}id:999999") == b"*"

    new_id = await gadgets.insert(gadget(code="nope"))
    assert await raw(gadgets, f"{PREFIX}code:nope") is None
    found = await gadgets.find_one_by(code="nope")
    assert found is not None and found.id == new_id


async def test_update_invalidates_old_and_new_keys(gadgets: GadgetModel):
    new_id = await gadgets.insert(gadget())
    row = await gadgets.find_one_by(code="g-1")
    assert row is not None
    assert await gadgets.find_one_by(code="g-2") is None  # '*' for the new code
    row.code, row.rating = "g-2", 3.0
    await gadgets.update(row)
    for key in (f"id:{new_id}", "code:g-1", "code:g-2", "ownerId:kind:7:lamp"):
        assert await raw(gadgets, PREFIX + key) is None, key
    assert await gadgets.find_one_by(code="g-1") is None
    fresh = await gadgets.find_one_by(code="g-2")
    assert fresh is not None and fresh.rating == 3.0 and fresh.version == 0


async def test_update_with_version_and_conflict(gadgets: GadgetModel):
    new_id = await gadgets.insert(gadget())
    first = await gadgets.find_one(new_id)
    second = await gadgets.find_one(new_id)
    assert first is not None and second is not None
    first.kind = "desk"
    await gadgets.update_with_version(first)
    assert first.version == 1
    second.kind = "chair"
    with pytest.raises(VersionConflict):
        await gadgets.update_with_version(second)
    stored = await gadgets.find_one(new_id)
    assert stored is not None and (stored.kind, stored.version) == ("desk", 1)
    assert await gadgets.find_one_by(owner_id=7, kind="lamp") is None


async def test_soft_delete_hides_row_everywhere(gadgets: GadgetModel):
    new_id = await gadgets.insert(gadget())
    row = await gadgets.find_one_by(code="g-1")
    assert row is not None
    await gadgets.delete_soft(row)
    assert await gadgets.find_one(new_id) is None
    assert await gadgets.find_one_by(code="g-1") is None
    assert await gadgets.find_all() == []
    assert await gadgets.count() == 0
    sql = "SELECT del_state, version FROM gadget WHERE id=%s"
    record = await gadgets.db.fetch_one(sql, [new_id])
    assert record == {"del_state": 1, "version": 1}
    with pytest.raises(NotFound):
        await gadgets.update(row)


async def test_duplicate_unique_key_is_a_data_error(gadgets: GadgetModel):
    await gadgets.insert(gadget())
    with pytest.raises(DuplicateKey):
        await gadgets.insert(gadget(owner=8))


async def test_transaction_rollback_leaves_nothing(gadgets: GadgetModel):
    with pytest.raises(DuplicateKey):
        async with gadgets.db.transaction() as tx:
            await gadgets.insert(gadget(code="a"), tx)
            await gadgets.insert(gadget(code="a", owner=9), tx)
    assert await gadgets.count() == 0
    assert await gadgets.find_one_by(code="a") is None


async def test_transaction_commit_and_update_inside(gadgets: GadgetModel):
    async with gadgets.db.transaction() as tx:
        first = await gadgets.insert(gadget(code="a"), tx)
        await gadgets.insert(gadget(code="b", owner=9), tx)
        row = await gadgets._load_by_id(tx, first)  # visible inside the transaction only
        assert row is not None
        row.kind = "desk"
        await gadgets.update_with_version(row, tx)
    stored = await gadgets.find_one(first)
    assert stored is not None and (stored.kind, stored.version) == ("desk", 1)
    assert await gadgets.count() == 2


def sql_queries() -> float:
    return REGISTRY.get_sample_value(
        "sql_client_requests_duration_ms_count", {"command": "query"}
    ) or 0.0


async def test_singleflight_one_query_for_concurrent_misses(gadgets: GadgetModel):
    new_id = await gadgets.insert(gadget())
    before = sql_queries()
    rows = await asyncio.gather(*(gadgets.find_one(new_id) for _ in range(20)))
    assert sql_queries() - before == 1
    assert all(r is not None and r.id == new_id for r in rows)
    assert await gadgets.find_one(new_id) is not None
    assert sql_queries() - before == 1  # now a cache hit

    before = sql_queries()
    misses = await asyncio.gather(*(gadgets.find_one_by(code="absent") for _ in range(20)))
    assert misses == [None] * 20 and sql_queries() - before == 1


async def test_reads_go_written_rows_case_insensitively(gadgets: GadgetModel):
    new_id = await gadgets.insert(gadget())
    go_json = (
        f'{{"id":{new_id},"createTime":"2024-01-02T15:04:05.123456789+08:00",'
        '"UPDATETIME":"2024-01-02T07:04:05Z","DeleteTime":"1970-01-01T08:00:00+08:00",'
        '"DelState":0,"Version":3,"Code":"g-1","OwnerId":7,"Kind":"from-go",'
        '"Rating":5,"ShipDate":"2024-05-01T00:00:00+08:00"}'
    )
    await gadgets.cache.client.set(gadgets.cache.redis_key(f"{PREFIX}id:{new_id}"), go_json)
    row = await gadgets.find_one(new_id)
    assert row is not None and row.kind == "from-go" and row.version == 3 and row.rating == 5.0
    assert row.create_time == datetime(2024, 1, 2, 15, 4, 5, 123456, tzinfo=SHANGHAI)
    assert row.update_time == datetime(2024, 1, 2, 15, 4, 5, tzinfo=SHANGHAI)


async def test_corrupt_cached_row_is_dropped_and_reloaded(gadgets: GadgetModel):
    new_id = await gadgets.insert(gadget())
    key = gadgets.cache.redis_key(f"{PREFIX}id:{new_id}")
    await gadgets.cache.client.set(key, b"{not json")
    row = await gadgets.find_one(new_id)
    assert row is not None and row.code == "g-1"
    assert await gadgets.cache.client.get(key) is None


async def test_list_helpers_filter_live_rows_and_page(gadgets: GadgetModel):
    ids = [await gadgets.insert(gadget(code=f"c{i}", owner=i)) for i in range(5)]
    doomed = await gadgets.find_one(ids[2])
    assert doomed is not None
    await gadgets.delete_soft(doomed)
    live_desc = [ids[4], ids[3], ids[1], ids[0]]

    assert [g.id for g in await gadgets.find_page("", (), 0, 3)] == live_desc[:3]
    assert [g.id for g in await gadgets.find_page("", (), 2, 3)] == live_desc[3:]
    assert await gadgets.find_page("", (), 1, 0) == []
    cursor = await gadgets.find_page_by_id_desc("`kind` = %s", ["lamp"], ids[3], 10)
    assert [g.id for g in cursor] == [ids[1], ids[0]]
    assert [g.id for g in await gadgets.find_page_by_id_desc("", (), 0, 2)] == live_desc[:2]
    asc = await gadgets.find_all("`owner_id` >= %s", [1], order_by="id ASC", limit=2)
    assert [g.id for g in asc] == [ids[1], ids[3]]
    assert await gadgets.count("`owner_id` > %s", [0]) == 3
    # lists never touch the cache: only the soft delete's own keys were ever written
    keys = [k async for k in gadgets.cache.client.scan_iter(match=gadgets.cache.namespace + "*")]
    assert keys == []


async def test_extreme_paging_values_are_not_sql_errors(gadgets: GadgetModel):
    """int64 page numbers and sizes from a request must never reach MySQL as an
    out-of-range LIMIT/OFFSET (that was a syntax error → 'database busy')."""
    ids = [await gadgets.insert(gadget(code=f"x{i}", owner=i)) for i in range(3)]
    huge = 2**63 - 1
    assert await gadgets.find_page("", (), huge, huge) == []
    assert [g.id for g in await gadgets.find_page("", (), 1, huge)] == ids[::-1]
    assert await gadgets.find_page("", (), 1, -5) == []
    assert [g.id for g in await gadgets.find_page_by_id_desc("", (), huge, huge)] == ids[::-1]
    assert [g.id for g in await gadgets.find_all("", (), limit=huge)] == ids[::-1]

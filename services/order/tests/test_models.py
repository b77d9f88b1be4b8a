"""homestay_order model on a fresh database and on upstream's own dump."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from looklook.data import Cache, Database, VersionConflict
from looklook.data.testing import STORE_VARIANTS, model_stores
from looklook.sn import SHANGHAI
from order.models import HomestayOrder, HomestayOrderModel

SQL_DIR = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(params=STORE_VARIANTS)
async def stores(request, infra) -> AsyncIterator[tuple[Database, Cache]]:
    async with model_stores(infra, "order", SQL_DIR, request.param) as s:
        yield s


def order(sn: str, user_id: int = 1, trade_state: int = 0) -> HomestayOrder:
    return HomestayOrder(
        sn=sn,
        user_id=user_id,
        trade_state=trade_state,
        food_price=3800,
        homestay_price=58800,
        live_start_date=datetime(2024, 5, 1, 15, 30, tzinfo=SHANGHAI),  # stored as a DATE
        live_end_date=datetime(2024, 5, 3, tzinfo=SHANGHAI),
    )


async def test_order_by_sn_dates_and_state_change(stores):
    db, cache = stores
    orders = HomestayOrderModel(db, cache)
    sn = "HSO2024050112000012345678"
    oid = await orders.insert(order(sn))
    row = await orders.find_one_by(sn=sn)
    assert row is not None and row.id == oid
    assert row.live_start_date == datetime(2024, 5, 1, tzinfo=SHANGHAI)
    assert int(row.live_start_date.timestamp()) == 1714492800
    doc = json.loads(
        await cache.client.get(cache.namespace + f"cache:looklookOrder:homestayOrder:id:{oid}")
    )
    assert doc["LiveStartDate"] == "2024-05-01T00:00:00+08:00" and doc["Sn"] == sn

    stale = await orders.find_one(oid)
    row.trade_state = 1
    await orders.update_with_version(row)
    assert stale is not None
    stale.trade_state = -1
    with pytest.raises(VersionConflict):
        await orders.update_with_version(stale)
    paid = await orders.find_one_by(sn=sn)
    assert paid is not None and (paid.trade_state, paid.version) == (1, 1)


async def test_user_order_list_filters_and_cursor(stores):
    db, cache = stores
    orders = HomestayOrderModel(db, cache)
    ids = [await orders.insert(order(f"HSO{i:022d}", trade_state=i % 2)) for i in range(5)]
    await orders.insert(order("HSO-other-user", user_id=2))
    assert [o.id for o in await orders.list_by_user(1, None, 0, 10)] == ids[::-1]
    assert [o.id for o in await orders.list_by_user(1, 1, 0, 10)] == [ids[3], ids[1]]
    assert [o.id for o in await orders.list_by_user(1, 0, ids[2], 10)] == [ids[0]]
    assert await orders.list_by_user(1, None, 0, 0) == []

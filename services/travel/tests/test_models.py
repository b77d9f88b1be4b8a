"""travel models on a fresh database and on upstream's own dump: the listing queries."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from looklook.data import Cache, Database
from looklook.data.testing import STORE_VARIANTS, model_stores
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

SQL_DIR = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(params=STORE_VARIANTS)
async def stores(request, infra) -> AsyncIterator[tuple[Database, Cache]]:
    async with model_stores(infra, "travel", SQL_DIR, request.param) as s:
        yield s


async def test_business_homestays_and_cursor_lists(stores):
    db, cache = stores
    shops, homestays = HomestayBusinessModel(db, cache), HomestayModel(db, cache)
    shop_ids = [
        await shops.insert(HomestayBusiness(title=f"店{i}", user_id=100 + i, star=4.5))
        for i in range(3)
    ]
    shop = await shops.find_one_by(user_id=101)
    assert shop is not None and shop.id == shop_ids[1] and shop.star == 4.5
    raw = await cache.client.get(
        cache.namespace + f"cache:looklookTravel:homestayBusiness:id:{shop.id}"
    )
    doc = json.loads(raw)
    assert doc["LicenseFron"] == "" and doc["Star"] == 4.5 and list(doc)[-1] == "Version"
    assert [s.id for s in await shops.list_page(0, 2)] == shop_ids[:0:-1]
    assert [s.id for s in await shops.list_page(shop_ids[1], 10)] == [shop_ids[0]]

    ids = [
        await homestays.insert(
            Homestay(title=f"房{i}", homestay_business_id=shop_ids[0], food_info="早餐")
        )
        for i in range(4)
    ]
    await homestays.insert(Homestay(title="别家", homestay_business_id=shop_ids[2]))
    assert [h.id for h in await homestays.list_by_business(shop_ids[0], 0, 3)] == ids[:0:-1]
    assert [h.id for h in await homestays.list_by_business(shop_ids[0], ids[1], 3)] == [ids[0]]
    found = await homestays.find_one(ids[0])
    assert found is not None and found.food_info == "早餐"


async def test_activities_by_type_ordered_by_data_id(stores):
    db, cache = stores
    activities = HomestayActivityModel(db, cache)
    for data_id in (5, 9, 7, 3):
        await activities.insert(
            HomestayActivity(row_type=ROW_TYPE_PREFERRED_HOMESTAY, data_id=data_id, row_status=1)
        )
    await activities.insert(HomestayActivity(row_type=ROW_TYPE_PREFERRED_HOMESTAY, data_id=8))
    await activities.insert(
        HomestayActivity(row_type=ROW_TYPE_GOOD_BUSINESS, data_id=11, row_status=1)
    )
    page1 = await activities.list_by_type(ROW_TYPE_PREFERRED_HOMESTAY, 1, 0, 3)
    page2 = await activities.list_by_type(ROW_TYPE_PREFERRED_HOMESTAY, 1, 2, 3)
    assert [a.data_id for a in page1] == [9, 7, 5] and [a.data_id for a in page2] == [3]
    good = await activities.list_by_type(ROW_TYPE_GOOD_BUSINESS, 1, 1, 10)
    assert [a.data_id for a in good] == [11]


async def test_comment_star_json_round_trips(stores):
    db, cache = stores
    comments = HomestayCommentModel(db, cache)
    star = '{"clean": 5, "location": 4}'
    cid = await comments.insert(HomestayComment(homestay_id=1, user_id=2, content="好", star=star))
    first, cached = await comments.find_one(cid), await comments.find_one(cid)
    assert first == cached and first is not None
    assert json.loads(first.star) == {"clean": 5, "location": 4}

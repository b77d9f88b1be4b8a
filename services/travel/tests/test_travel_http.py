"""travel-api over real sockets with travel-rpc and usercenter-rpc behind it."""

from __future__ import annotations

import json

import grpc
import pytest
from looklook.pb import pb
from looklook.testing import grpcio_unary

from .conftest import Travel, run_sql

EPOCH = "1970-01-01 08:00:00"


async def call(http, travel: Travel, path: str, body: dict | None = None):
    async with http.post(travel.api_url + "/travel/v1" + path, json=body or {}) as r:
        raw = await r.read()
        return r.status, raw, (json.loads(raw) if raw else None)


async def add_homestay(travel: Travel, title: str, business_id: int = 1, price: int = 29990) -> int:
    await travel.sql(
        "INSERT INTO homestay (title, sub_title, banner, info, people_num, homestay_business_id,"
        " user_id, row_state, row_type, food_info, food_price, homestay_price,"
        " market_homestay_price, delete_time) VALUES (%s,'sub','a.jpg,b.jpg','info',4,%s,7,1,0,"
        "'food',1550,%s,39900,%s)",
        (title, business_id, price, EPOCH),
    )
    [row] = await travel.sql("SELECT MAX(id) AS id FROM homestay")
    return int(row["id"])


async def add_activity(travel: Travel, row_type: str, data_id: int) -> None:
    await travel.sql(
        "INSERT INTO homestay_activity (row_type, data_id, row_status, delete_time)"
        " VALUES (%s,%s,1,%s)",
        (row_type, data_id, EPOCH),
    )


@pytest.fixture(scope="module")
async def seeded(travel: Travel) -> dict:
    ids = [await add_homestay(travel, f"home{i}", business_id=1) for i in range(3)]
    for hid in ids:
        await add_activity(travel, "preferredHomestay", hid)
    await add_activity(travel, "preferredHomestay", 999999)  # points at nothing
    await run_sql(
        travel.uc_mysql,
        "INSERT INTO user (mobile, nickname, avatar, info, delete_time) VALUES"
        " ('13900000001','Boss','av.png','landlord',%s)",
        (EPOCH,),
    )
    [user] = await run_sql(travel.uc_mysql, "SELECT id FROM user WHERE mobile='13900000001'")
    await add_activity(travel, "goodBusiness", user["id"])
    await add_activity(travel, "goodBusiness", 888888)  # unknown user: skipped
    await travel.sql(
        "INSERT INTO homestay_business (title, user_id, info, star, tags, cover, header_img,"
        " delete_time) VALUES ('Shop',%s,'shop info',4.5,'tag','c.jpg','h.jpg',%s)",
        (user["id"], EPOCH),
    )
    [shop] = await travel.sql("SELECT MAX(id) AS id FROM homestay_business")
    await travel.sql(
        "INSERT INTO homestay_comment (homestay_id, user_id, content, star, delete_time)"
        " VALUES (%s,%s,'nice',%s,%s),(%s,%s,'ok',%s,%s)",
        (
            ids[0],
            user["id"],
            '{"overall":4.5,"clean":5}',
            EPOCH,
            ids[1],
            user["id"],
            '{"a":4,"b":3}',
            EPOCH,
        ),
    )
    return {"homestays": ids, "user_id": user["id"], "shop_id": shop["id"]}


async def test_homestay_list_keeps_activity_order_and_skips_missing(http, travel, seeded) -> None:
    status, raw, body = await call(
        http, travel, "/homestay/homestayList", {"page": 1, "pageSize": 10}
    )
    assert status == 200
    items = body["data"]["list"]
    assert [h["id"] for h in items] == sorted(seeded["homestays"], reverse=True)
    assert items[0]["homestayPrice"] == 299.9 and items[0]["foodPrice"] == 15.5
    assert list(items[0]) == [
        "id",
        "title",
        "subTitle",
        "banner",
        "info",
        "peopleNum",
        "homestayBusinessId",
        "userId",
        "rowState",
        "rowType",
        "foodInfo",
        "foodPrice",
        "homestayPrice",
        "marketHomestayPrice",
    ]
    status, raw, _ = await call(http, travel, "/homestay/homestayList", {"page": 1, "pageSize": 0})
    assert raw == b'{"code":200,"msg":"OK","data":{"list":null}}'


async def test_business_and_guess_lists(http, travel, seeded) -> None:
    ids = sorted(seeded["homestays"], reverse=True)
    _, _, body = await call(
        http,
        travel,
        "/homestay/businessList",
        {"lastId": ids[0], "pageSize": 10, "homestayBusinessId": 1},
    )
    assert [h["id"] for h in body["data"]["list"]] == ids[1:]
    _, _, body = await call(http, travel, "/homestay/guessList")
    assert 0 < len(body["data"]["list"]) <= 5


async def test_detail_reads_through_the_cache(http, travel, seeded) -> None:
    hid = seeded["homestays"][2]
    key = f"{travel.namespace}cache:looklookTravel:homestay:id:{hid}"
    await travel.redis.delete(key)
    _, _, body = await call(http, travel, "/homestay/homestayDetail", {"id": hid})
    assert body["data"]["homestay"]["title"] == "home2"
    assert await travel.redis.exists(key) == 1
    await travel.sql("UPDATE homestay SET title='changed' WHERE id=%s", (hid,))
    _, _, body = await call(http, travel, "/homestay/homestayDetail", {"id": hid})
    assert body["data"]["homestay"]["title"] == "home2"  # served from Redis, not MySQL
    await travel.sql("UPDATE homestay SET title='home2' WHERE id=%s", (hid,))


async def test_unknown_homestay_is_all_zero(http, travel) -> None:
    _, _, body = await call(http, travel, "/homestay/homestayDetail", {"id": 123456789})
    assert body["data"]["homestay"]["id"] == 0 and body["data"]["homestay"]["foodPrice"] == 0


async def test_bosses_shops_and_comments(http, travel, seeded) -> None:
    _, _, body = await call(http, travel, "/homestayBussiness/goodBoss")
    assert body["data"]["list"] == [
        {
            "id": seeded["user_id"],
            "userId": 0,
            "nickname": "Boss",
            "avatar": "av.png",
            "info": "landlord",
            "rank": 0,
        }
    ]
    _, _, body = await call(
        http, travel, "/homestayBussiness/homestayBussinessList", {"lastId": 0, "pageSize": 5}
    )
    [shop] = body["data"]["list"]
    assert shop["star"] == 4.5 and shop["headerImg"] == "h.jpg" and shop["isFav"] == 0
    _, _, body = await call(
        http, travel, "/homestayBussiness/homestayBussinessDetail", {"id": seeded["shop_id"]}
    )
    assert body["data"]["boss"]["nickname"] == "Boss"
    _, _, body = await call(
        http, travel, "/homestayBussiness/homestayBussinessDetail", {"id": 424242}
    )
    assert body["data"]["boss"] == {
        "id": 0,
        "userId": 0,
        "nickname": "",
        "avatar": "",
        "info": "",
        "rank": 0,
    }
    _, _, body = await call(
        http, travel, "/homestayComment/commentList", {"lastId": 0, "pageSize": 10}
    )
    comments = body["data"]["list"]
    assert [c["star"] for c in comments] == [3.5, 4.5]  # newest first; mean, then overall
    assert comments[0]["nickname"] == "Boss" and comments[0]["avatar"] == "av.png"


async def test_travel_rpc_with_grpcio(travel, seeded) -> None:
    hid = seeded["homestays"][0]
    status, raw, _ = await grpcio_unary(
        travel.rpc_endpoint, "/pb.travel/homestayDetail", bytes(pb.HomestayDetailReq(id=hid))
    )
    assert status == grpc.StatusCode.OK
    assert pb.HomestayDetailResp().parse(raw).homestay.homestay_price == 29990
    status, raw, _ = await grpcio_unary(
        travel.rpc_endpoint, "/pb.travel/homestayDetail", bytes(pb.HomestayDetailReq(id=10**9))
    )
    assert status == grpc.StatusCode.OK and raw == b"\x0a\x00"

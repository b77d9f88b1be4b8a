"""order-api over HTTP against a real order-rpc: create, list, detail, the close job."""

from __future__ import annotations

import time
from datetime import date, datetime

from looklook.pb import pb
from looklook.rpc import rpc_client
from looklook.settings import RpcClientConf
from looklook.sn import SHANGHAI

from .conftest import DAY, new_user, stay

P = "/order/v1/homestayOrder/"


async def post(order, http, path: str, body: dict, user_id: int) -> tuple[int, dict]:
    async with http.post(order.api_url + P + path, json=body, headers=order.auth(user_id)) as r:
        return r.status, await r.json()


async def create(order, http, user_id: int, **kw) -> str:
    start, end = stay()
    body = {
        "homestayId": 7,
        "isFood": True,
        "liveStartTime": start,
        "liveEndTime": end,
        "livePeopleNum": 2,
        "remark": "late arrival",
        **kw,
    }
    status, env = await post(order, http, "createHomestayOrder", body, user_id)
    assert (status, env["code"], env["msg"]) == (200, 200, "OK"), env
    return env["data"]["orderSn"]


def midnight(ts: int) -> int:
    d = datetime.fromtimestamp(ts, SHANGHAI).date()
    return int(datetime(d.year, d.month, d.day, tzinfo=SHANGHAI).timestamp())


async def test_create_list_detail(order, http) -> None:
    uid = new_user()
    start, end = stay(days_ahead=3, nights=2)
    before = time.time()
    sn = await create(order, http, uid, liveStartTime=start, liveEndTime=end + 3600)
    assert sn.startswith("HSO") and len(sn) == 25

    [row] = await order.sql("SELECT * FROM homestay_order WHERE sn = %s", (sn,))
    assert (row["user_id"], row["homestay_id"], row["trade_state"]) == (uid, 7, 0)
    assert (row["homestay_total_price"], row["food_total_price"]) == (2 * 58800, 2 * 2 * 3800)
    assert row["order_total_price"] == 2 * 58800 + 2 * 2 * 3800
    assert (row["cover"], row["title"], row["need_food"]) == ("a.jpg", "Sea view", 1)
    assert row["live_start_date"] == datetime.fromtimestamp(start, SHANGHAI).date()
    assert isinstance(row["live_start_date"], date) and len(row["trade_code"]) == 8

    status, env = await post(
        order, http, "userHomestayOrderList", {"lastId": 0, "pageSize": 10, "tradeState": -99}, uid
    )
    assert status == 200
    [item] = env["data"]["list"]
    assert list(item) == [
        "sn", "title", "subTitle", "homestayId", "cover", "orderTotalPrice", "createTime",
        "tradeState", "liveStartDate", "liveEndDate", "tradeCode",
    ]  # fmt: skip
    assert item["sn"] == sn and item["orderTotalPrice"] == 1328.0  # yuan
    assert item["liveStartDate"] == midnight(start) and item["liveEndDate"] == midnight(end + 3600)
    assert before - 2 <= item["createTime"] <= time.time() + 2

    status, env = await post(order, http, "userHomestayOrderDetail", {"sn": sn}, uid)
    d = env["data"]
    assert status == 200 and d["sn"] == sn and d["userId"] == uid
    assert (d["homestayPrice"], d["foodPrice"], d["marketHomestayPrice"]) == (588, 38, 688)
    assert (d["homestayTotalPrice"], d["foodTotalPrice"], d["orderTotalPrice"]) == (
        1176,
        152,
        1328,
    )
    assert (d["needFood"], d["livePeopleNum"], d["remark"]) == (1, 2, "late arrival")
    assert (d["homestayBusinessId"], d["homestayUserId"]) == (3, 30)
    assert (d["payTime"], d["payType"], d["tradeState"]) == (0, "", 0)
    assert d["tradeCode"] == item["tradeCode"]


async def test_someone_elses_or_unknown_order_is_null(order, http) -> None:
    owner = new_user()
    sn = await create(order, http, owner)
    for sn_asked, uid in ((sn, owner + 1), ("HSO0000000000000000000000", owner), ("", owner)):
        async with http.post(
            order.api_url + P + "userHomestayOrderDetail",
            json={"sn": sn_asked},
            headers=order.auth(uid),
        ) as r:
            assert (r.status, await r.read()) == (200, b'{"code":200,"msg":"OK","data":null}')


async def test_list_cursor_and_trade_state_filter(order, http) -> None:
    uid = new_user()
    sns = [await create(order, http, uid, isFood=False) for _ in range(3)]
    await create(order, http, new_user())  # another user's order never shows
    ids = {
        r["sn"]: r["id"]
        for r in await order.sql("SELECT id, sn FROM homestay_order WHERE user_id = %s", (uid,))
    }
    stub = rpc_client(pb.OrderStub, RpcClientConf(endpoint=order.rpc_endpoint))
    try:
        await stub.update_homestay_order_trade_state(
            pb.UpdateHomestayOrderTradeStateReq(sn=sns[0], trade_state=-1)
        )
        await stub.update_homestay_order_trade_state(
            pb.UpdateHomestayOrderTradeStateReq(sn=sns[1], trade_state=1)
        )
    finally:
        stub.close()

    async def listed(last_id: int, size: int, state: int) -> list[str] | None:
        body = {"lastId": last_id, "pageSize": size, "tradeState": state}
        status, env = await post(order, http, "userHomestayOrderList", body, uid)
        assert status == 200, env
        lst = env["data"]["list"]
        return None if lst is None else [i["sn"] for i in lst]

    newest_first = sns[::-1]
    assert await listed(0, 10, -99) == newest_first  # any value outside -1..4 means all
    assert await listed(0, 10, 99) == newest_first
    assert await listed(0, 2, -99) == newest_first[:2]
    assert await listed(ids[sns[1]], 10, -99) == [sns[0]]  # id < lastId
    assert await listed(ids[sns[0]], 10, -99) is None  # an empty list is null
    assert await listed(0, 10, -1) == [sns[0]]
    assert await listed(0, 10, 1) == [sns[1]]
    assert await listed(0, 10, 0) == [sns[2]]
    assert await listed(0, 10, 4) is None
    assert await listed(0, 0, -99) is None


async def test_paid_order_detail_carries_the_payment(order, http) -> None:
    uid = new_user()
    sn = await create(order, http, uid)
    stub = rpc_client(pb.OrderStub, RpcClientConf(endpoint=order.rpc_endpoint))
    try:
        await stub.update_homestay_order_trade_state(
            pb.UpdateHomestayOrderTradeStateReq(sn=sn, trade_state=1)
        )
    finally:
        stub.close()
    status, env = await post(order, http, "userHomestayOrderDetail", {"sn": sn}, uid)
    assert (env["data"]["tradeState"], env["data"]["payTime"]) == (1, 0)  # no payment found
    order.payment.by_order[sn] = pb.PaymentDetail(id=5, pay_mode="WECHAT_PAY", pay_time=1700000000)
    status, env = await post(order, http, "userHomestayOrderDetail", {"sn": sn}, uid)
    assert (env["data"]["payTime"], env["data"]["payType"]) == (1700000000, "WECHAT_PAY")


async def test_create_schedules_the_close_job(order, http) -> None:
    before = time.time()
    sn = await create(order, http, new_user())
    [job] = [s for s in await order.schedules() if s["args"] == [{"Sn": sn}]]
    assert job["task_name"] == "defer:homestay_order:close" and job["cron"] is None
    due = datetime.fromisoformat(job["time"]).timestamp()
    assert before + 1800 - 2 <= due <= time.time() + 1800 + 2


async def test_protected_routes_need_a_token(order, http) -> None:
    for path in ("createHomestayOrder", "userHomestayOrderList", "userHomestayOrderDetail"):
        async with http.post(order.api_url + P + path, json={}) as r:
            assert (r.status, await r.read()) == (401, b"")
        async with http.post(
            order.api_url + P + path, json={}, headers={"Authorization": "Bearer x.y.z"}
        ) as r:
            assert r.status == 401


async def test_stay_length_boundaries(order, http) -> None:
    uid = new_user()
    start, _ = stay()
    sn = await create(order, http, uid, liveStartTime=start, liveEndTime=start + DAY - 1)
    [row] = await order.sql("SELECT order_total_price FROM homestay_order WHERE sn = %s", (sn,))
    assert row["order_total_price"] == 0  # less than one night: upstream's zero-price stay

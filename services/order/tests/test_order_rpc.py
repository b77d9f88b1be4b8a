"""order-rpc over real sockets: our grpclib stub and stock grpcio on upstream's paths."""

from __future__ import annotations

import grpc
import pytest
from looklook.errors import CodeError
from looklook.pb import pb
from looklook.rpc import rpc_client
from looklook.settings import RpcClientConf
from looklook.testing import grpcio_unary

from .conftest import new_user, stay


@pytest.fixture
async def stub(order):
    client = rpc_client(pb.OrderStub, RpcClientConf(endpoint=order.rpc_endpoint))
    yield client
    client.close()


def create_req(user_id: int, **kw) -> pb.CreateHomestayOrderReq:
    start, end = stay()
    base = {
        "homestay_id": 7,
        "is_food": True,
        "live_start_time": start,
        "live_end_time": end,
        "user_id": user_id,
        "live_people_num": 3,
        "remark": "rpc",
    }
    return pb.CreateHomestayOrderReq(**{**base, **kw})


async def test_grpcio_create_and_detail_carry_field_27(order) -> None:
    uid = new_user()
    status, raw, _ = await grpcio_unary(
        order.rpc_endpoint, "/pb.order/createHomestayOrder", bytes(create_req(uid))
    )
    assert status == grpc.StatusCode.OK
    sn = pb.CreateHomestayOrderResp().parse(raw).sn
    status, raw, _ = await grpcio_unary(
        order.rpc_endpoint, "/pb.order/homestayOrderDetail", bytes(pb.HomestayOrderDetailReq(sn=sn))
    )
    assert status == grpc.StatusCode.OK
    assert b"\xd8\x01\x01" in raw  # field 27 (needFood), varint 1, on the wire
    o = pb.HomestayOrderDetailResp().parse(raw).homestay_order
    assert (o.sn, o.user_id, o.need_food, o.live_people_num) == (sn, uid, 1, 3)
    assert o.food_total_price == 3800 * 3 * 2 and o.homestay_total_price == 58800 * 2

    status, raw, _ = await grpcio_unary(
        order.rpc_endpoint,
        "/pb.order/userHomestayOrderList",
        bytes(pb.UserHomestayOrderListReq(user_id=uid, page_size=5, trader_state=-99)),
    )
    assert status == grpc.StatusCode.OK
    assert [i.sn for i in pb.UserHomestayOrderListResp().parse(raw).list] == [sn]


async def test_missing_order_is_an_empty_present_message(order) -> None:
    status, raw, _ = await grpcio_unary(
        order.rpc_endpoint,
        "/pb.order/homestayOrderDetail",
        bytes(pb.HomestayOrderDetailReq(sn="HSO_missing")),
    )
    assert (status, raw) == (grpc.StatusCode.OK, b"\x0a\x00")  # field 1, length 0


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        ({"live_end_time": 1}, "Stay at least one night"),
        ({"homestay_id": 404}, "This record does not exist"),
        ({"live_people_num": 5}, "livePeopleNum exceeds the homestay's capacity of 4"),
        ({"homestay_id": 8, "live_people_num": 1}, "homestay is not open for booking"),
    ],
)
async def test_create_refusals(order, stub, kw, text) -> None:
    uid = new_user()
    with pytest.raises(CodeError) as err:
        await stub.create_homestay_order(create_req(uid, **kw))
    assert (err.value.code, err.value.msg) == (100001, text)
    assert await order.sql("SELECT id FROM homestay_order WHERE user_id = %s", (uid,)) == []
    status, raw, _ = await grpcio_unary(
        order.rpc_endpoint, "/pb.order/createHomestayOrder", bytes(create_req(uid, **kw))
    )
    assert status != grpc.StatusCode.OK and raw is None  # grpcio cannot show 100001, but fails


async def update(stub, sn: str, target: int) -> pb.UpdateHomestayOrderTradeStateResp:
    return await stub.update_homestay_order_trade_state(
        pb.UpdateHomestayOrderTradeStateReq(sn=sn, trade_state=target)
    )


async def test_trade_state_machine_over_rpc(order, stub) -> None:
    uid = new_user()
    sn = (await stub.create_homestay_order(create_req(uid))).sn

    async def refused(target: int) -> str:
        with pytest.raises(CodeError) as err:
            await update(stub, sn, target)
        assert err.value.code == 100001
        return err.value.msg

    with pytest.raises(CodeError) as err:
        await update(stub, "HSO_unknown", 1)
    assert err.value.msg == "order no exists"
    assert await refused(2) == "Only unused orders can be changed to this status"

    paid = await update(stub, sn, 1)
    assert (paid.sn, paid.user_id, paid.title, paid.order_total_price) == (
        sn,
        uid,
        "Sea view",
        58800 * 2 + 3800 * 3 * 2,
    )
    assert len(paid.trade_code) == 8 and paid.live_end_date - paid.live_start_date == 2 * 86400
    again = await update(stub, sn, 1)
    assert again == pb.UpdateHomestayOrderTradeStateResp()  # a repeat: all zero, no change
    assert await refused(-1) == "只有待支付的订单才能被取消"
    assert await refused(0) == "Changing this status is not supported"
    assert await refused(7) == "Changing this status is not supported"
    await update(stub, sn, 3)
    [row] = await order.sql("SELECT trade_state, version FROM homestay_order WHERE sn = %s", (sn,))
    assert (row["trade_state"], row["version"]) == (3, 2)

    notified = [m for m in await order.queued() if m["task_name"] == "msg:pay_success:notify_user"]
    mine = [m for m in notified if m["args"][0]["Order"]["Sn"] == sn]
    assert len(mine) == 1  # once for 0 -> 1, not for the repeat
    go_row = mine[0]["args"][0]["Order"]
    assert go_row["TradeState"] == 1 and go_row["UserId"] == uid and go_row["Version"] == 1

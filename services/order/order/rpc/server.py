"""order-rpc: the pb.order service, each method delegating to logic.Orders."""

from __future__ import annotations

from looklook.pb import pb

from order.logic.orders import Orders

__all__ = ["OrderServer"]


class OrderServer(pb.OrderBase):
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def create_homestay_order(
        self, create_homestay_order_req: pb.CreateHomestayOrderReq
    ) -> pb.CreateHomestayOrderResp:
        return await self.orders.create(create_homestay_order_req)

    async def homestay_order_detail(
        self, homestay_order_detail_req: pb.HomestayOrderDetailReq
    ) -> pb.HomestayOrderDetailResp:
        return await self.orders.detail(homestay_order_detail_req)

    async def update_homestay_order_trade_state(
        self, update_homestay_order_trade_state_req: pb.UpdateHomestayOrderTradeStateReq
    ) -> pb.UpdateHomestayOrderTradeStateResp:
        return await self.orders.update_trade_state(update_homestay_order_trade_state_req)

    async def user_homestay_order_list(
        self, user_homestay_order_list_req: pb.UserHomestayOrderListReq
    ) -> pb.UserHomestayOrderListResp:
        return await self.orders.user_list(user_homestay_order_list_req)

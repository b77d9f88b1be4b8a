"""order-api use cases (business-rules.md §3.1, §3.3, §3.4) over the three RPCs."""

from __future__ import annotations

import logging

from looklook.errors import CodeError
from looklook.money import fen_to_yuan
from looklook.pb import pb
from looklook.rpc import RpcError
from looklook.web import param_error

from order.api import types
from order.logic import booking, states

__all__ = ["OrderApi"]

log = logging.getLogger(__name__)

CREATE_FAIL = "create homestay order fail"
LIST_FAIL = "Failed to get user homestay order list"
DETAIL_FAIL = "get homestay order detail fail"
_UNPAID = frozenset({states.CANCELLED, states.WAIT_PAY})


def _list_view(o: pb.HomestayOrder) -> types.UserHomestayOrderListView:
    return types.UserHomestayOrderListView(
        sn=o.sn,
        title=o.title,
        subTitle=o.sub_title,
        homestayId=o.homestay_id,
        cover=o.cover,
        orderTotalPrice=fen_to_yuan(o.order_total_price),
        createTime=o.create_time,
        tradeState=o.trade_state,
        liveStartDate=o.live_start_date,
        liveEndDate=o.live_end_date,
        tradeCode=o.trade_code,
    )


def _detail_view(
    o: pb.HomestayOrder, pay: pb.PaymentDetail | None
) -> types.UserHomestayOrderDetailResp:
    return types.UserHomestayOrderDetailResp(
        sn=o.sn,
        userId=o.user_id,
        homestayId=o.homestay_id,
        title=o.title,
        subTitle=o.sub_title,
        cover=o.cover,
        info=o.info,
        foodInfo=o.food_info,
        foodPrice=fen_to_yuan(o.food_price),
        homestayPrice=fen_to_yuan(o.homestay_price),
        marketHomestayPrice=fen_to_yuan(o.market_homestay_price),
        homestayBusinessId=float(o.homestay_business_id),
        homestayUserId=float(o.homestay_user_id),
        orderTotalPrice=fen_to_yuan(o.order_total_price),
        createTime=o.create_time,
        tradeState=o.trade_state,
        liveStartDate=o.live_start_date,
        liveEndDate=o.live_end_date,
        tradeCode=o.trade_code,
        foodTotalPrice=fen_to_yuan(o.food_total_price),
        homestayTotalPrice=fen_to_yuan(o.homestay_total_price),
        remark=o.remark,
        livePeopleNum=o.live_people_num,
        needFood=o.need_food,
        payTime=pay.pay_time if pay else 0,
        payType=pay.pay_mode if pay else "",
    )


class OrderApi:
    def __init__(self, order: pb.OrderStub, travel: pb.TravelStub, payment: pb.PaymentStub) -> None:
        self.order = order
        self.travel = travel
        self.payment = payment

    async def create(
        self, user_id: int, req: types.CreateHomestayOrderReq
    ) -> types.CreateHomestayOrderResp:
        # travel errors pass through unchanged, as upstream
        found = await self.travel.homestay_detail(pb.HomestayDetailReq(id=req.homestayId))
        homestay = found.homestay
        if homestay is None or homestay.id == 0:
            raise CodeError.of_msg("homestay no exists")
        if req.liveEndTime > req.liveStartTime:  # end <= start keeps upstream's masked error
            problem = booking.booking_problem(
                homestay, req.liveStartTime, req.liveEndTime, req.livePeopleNum, req.remark
            )
            if problem is not None:
                raise param_error(problem)
        try:
            resp = await self.order.create_homestay_order(
                pb.CreateHomestayOrderReq(
                    homestay_id=req.homestayId,
                    is_food=req.isFood,
                    live_start_time=req.liveStartTime,
                    live_end_time=req.liveEndTime,
                    user_id=user_id,
                    live_people_num=req.livePeopleNum,
                    remark=req.remark,
                )
            )
        except (CodeError, RpcError) as exc:
            log.warning("createHomestayOrder failed: %s", exc)
            raise CodeError.of_msg(CREATE_FAIL) from exc
        return types.CreateHomestayOrderResp(orderSn=resp.sn)

    async def user_list(
        self, user_id: int, req: types.UserHomestayOrderListReq
    ) -> types.UserHomestayOrderListResp:
        try:
            resp = await self.order.user_homestay_order_list(
                pb.UserHomestayOrderListReq(
                    last_id=req.lastId,
                    page_size=req.pageSize,
                    user_id=user_id,
                    trader_state=req.tradeState,
                )
            )
        except (CodeError, RpcError) as exc:
            log.warning("userHomestayOrderList failed: %s", exc)
            raise CodeError.of_msg(LIST_FAIL) from exc
        return types.UserHomestayOrderListResp(list=[_list_view(o) for o in resp.list])

    async def detail(
        self, user_id: int, req: types.UserHomestayOrderDetailReq
    ) -> types.UserHomestayOrderDetailResp | None:
        try:
            resp = await self.order.homestay_order_detail(pb.HomestayOrderDetailReq(sn=req.sn))
        except (CodeError, RpcError) as exc:
            log.warning("homestayOrderDetail failed: %s", exc)
            raise CodeError.of_msg(DETAIL_FAIL) from exc
        order = resp.homestay_order
        if order is None or order.id == 0 or order.user_id != user_id:
            return None  # missing or someone else's: data null, as upstream
        pay = None if order.trade_state in _UNPAID else await self._payment(order.sn)
        return _detail_view(order, pay)

    async def _payment(self, order_sn: str) -> pb.PaymentDetail | None:
        """The paid/refunded payment; a payment-rpc failure leaves payTime/payType empty
        (upstream dereferenced a nil answer and answered HTTP 500)."""
        try:
            resp = await self.payment.get_payment_success_refund_by_order_sn(
                pb.GetPaymentSuccessRefundByOrderSnReq(order_sn=order_sn)
            )
        except (CodeError, RpcError) as exc:
            log.warning("GetPaymentSuccessRefundByOrderSn(%s) failed: %s", order_sn, exc)
            return None
        pay = resp.payment_detail
        return pay if pay is not None and pay.id else None

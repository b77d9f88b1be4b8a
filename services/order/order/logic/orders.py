"""order-rpc use cases: create, detail, trade-state update, per-user list (§3)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from looklook.data import DataError, VersionConflict
from looklook.errors import DB_ERROR, CodeError
from looklook.jobs.types import (
    CLOSE_ORDER,
    PAY_SUCCESS_NOTIFY_USER,
    CloseOrderPayload,
    PaySuccessNotifyPayload,
)
from looklook.pb import pb
from looklook.rpc import RpcError
from looklook.rpc.present import present
from looklook.sn import PREFIX_HOMESTAY_ORDER, SHANGHAI, gen_sn, random_string
from pydantic import BaseModel

from order.logic import booking, states
from order.logic.convert import to_go_row, to_pb
from order.models import HomestayOrder, HomestayOrderModel

__all__ = ["Enqueuer", "Orders"]

log = logging.getLogger(__name__)

UPDATE_FAILED = "Failed to update homestay order status"


class Enqueuer(Protocol):
    """What we need of ``looklook.jobs.JobClient``."""

    async def enqueue(self, task_name: str, payload: BaseModel) -> str: ...

    async def enqueue_in(self, task_name: str, payload: BaseModel, delay_s: float) -> str: ...


def _db_error(exc: DataError) -> CodeError:
    log.error("order db failure: %s", exc)
    return CodeError.of_code(DB_ERROR)


class Orders:
    def __init__(
        self,
        orders: HomestayOrderModel,
        travel: pb.TravelStub,
        jobs: Enqueuer,
        close_delay_s: float,
    ) -> None:
        self.orders = orders
        self.travel = travel
        self.jobs = jobs
        self.close_delay_s = close_delay_s

    async def _homestay(self, homestay_id: int) -> pb.Homestay:
        try:
            resp = await self.travel.homestay_detail(pb.HomestayDetailReq(id=homestay_id))
        except (CodeError, RpcError) as exc:
            log.warning("travel homestayDetail(%d) failed: %s", homestay_id, exc)
            raise CodeError.of_msg("Failed to query the record") from exc
        if resp.homestay is None or resp.homestay.id == 0:
            # upstream accepted an empty homestay and stored an empty snapshot
            raise CodeError.of_msg("This record does not exist")
        return resp.homestay

    async def create(self, req: pb.CreateHomestayOrderReq) -> pb.CreateHomestayOrderResp:
        if req.live_end_time <= req.live_start_time:
            raise CodeError.of_msg("Stay at least one night")
        homestay = await self._homestay(req.homestay_id)
        problem = booking.booking_problem(
            homestay, req.live_start_time, req.live_end_time, req.live_people_num, req.remark
        )
        if problem is not None:
            raise CodeError.of_msg(problem)
        price = booking.prices(
            homestay, req.live_start_time, req.live_end_time, req.live_people_num, req.is_food
        )
        row = HomestayOrder(
            sn=gen_sn(PREFIX_HOMESTAY_ORDER),
            user_id=req.user_id,
            homestay_id=req.homestay_id,
            title=homestay.title,
            sub_title=homestay.sub_title,
            cover=homestay.banner.split(",")[0],
            info=homestay.info,
            people_num=homestay.people_num,
            row_type=homestay.row_type,
            need_food=1 if req.is_food else 0,
            food_info=homestay.food_info,
            food_price=homestay.food_price,
            homestay_price=homestay.homestay_price,
            market_homestay_price=homestay.market_homestay_price,
            homestay_business_id=homestay.homestay_business_id,
            homestay_user_id=homestay.user_id,
            live_start_date=datetime.fromtimestamp(req.live_start_time, SHANGHAI),
            live_end_date=datetime.fromtimestamp(req.live_end_time, SHANGHAI),
            live_people_num=req.live_people_num,
            trade_state=states.WAIT_PAY,
            trade_code=random_string(8),
            remark=req.remark,
            order_total_price=price.order_total,
            food_total_price=price.food_total,
            homestay_total_price=price.homestay_total,
        )
        try:
            await self.orders.insert(row)
        except DataError as exc:
            raise _db_error(exc) from exc
        try:
            await self.jobs.enqueue_in(
                CLOSE_ORDER, CloseOrderPayload(Sn=row.sn), self.close_delay_s
            )
        except Exception:  # noqa: BLE001 - upstream only logs a failed enqueue
            log.exception("enqueue %s for %s failed", CLOSE_ORDER, row.sn)
        return pb.CreateHomestayOrderResp(sn=row.sn)

    async def _find(self, sn: str) -> HomestayOrder | None:
        try:
            return await self.orders.find_one_by(sn=sn)
        except DataError as exc:
            raise _db_error(exc) from exc

    async def detail(self, req: pb.HomestayOrderDetailReq) -> pb.HomestayOrderDetailResp:
        row = await self._find(req.sn) if req.sn else None
        order = to_pb(row) if row is not None else pb.HomestayOrder()
        return pb.HomestayOrderDetailResp(homestay_order=present(order))

    async def update_trade_state(
        self, req: pb.UpdateHomestayOrderTradeStateReq
    ) -> pb.UpdateHomestayOrderTradeStateResp:
        row = await self._find(req.sn)
        if row is None:
            raise CodeError.of_msg("order no exists")
        if row.trade_state == req.trade_state:
            return pb.UpdateHomestayOrderTradeStateResp()  # a repeat: nothing happens
        refusal = states.transition_error(row.trade_state, req.trade_state)
        if refusal is not None:
            raise CodeError.of_msg(refusal)
        row.trade_state = req.trade_state
        try:
            await self.orders.update_with_version(row)
        except (VersionConflict, DataError) as exc:
            log.warning("update %s to %d failed: %s", row.sn, req.trade_state, exc)
            raise CodeError.of_msg(UPDATE_FAILED) from exc
        if req.trade_state == states.PAID:
            await self._notify_paid(row)
        return pb.UpdateHomestayOrderTradeStateResp(
            id=row.id,
            user_id=row.user_id,
            sn=row.sn,
            trade_code=row.trade_code,
            live_start_date=int(row.live_start_date.timestamp()),
            live_end_date=int(row.live_end_date.timestamp()),
            order_total_price=row.order_total_price,
            title=row.title,
        )

    async def _notify_paid(self, row: HomestayOrder) -> None:
        payload = PaySuccessNotifyPayload(Order=to_go_row(self.orders, row))
        try:
            await self.jobs.enqueue(PAY_SUCCESS_NOTIFY_USER, payload)
        except Exception:  # noqa: BLE001 - upstream only logs a failed enqueue
            log.exception("enqueue %s for %s failed", PAY_SUCCESS_NOTIFY_USER, row.sn)

    async def user_list(self, req: pb.UserHomestayOrderListReq) -> pb.UserHomestayOrderListResp:
        state = req.trader_state if req.trader_state in states.VALID_STATES else None
        try:
            rows = await self.orders.list_by_user(req.user_id, state, req.last_id, req.page_size)
        except DataError as exc:
            raise _db_error(exc) from exc
        return pb.UserHomestayOrderListResp(list=[to_pb(r) for r in rows])

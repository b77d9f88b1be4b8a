"""``homestay_order``: a booking, a snapshot of the homestay at order time; prices in fen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel, date_column


@dataclass
class HomestayOrder:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    version: int = 0
    sn: str = ""
    user_id: int = 0
    homestay_id: int = 0
    title: str = ""
    sub_title: str = ""
    cover: str = ""
    info: str = ""
    people_num: int = 0
    row_type: int = 0
    need_food: int = 0
    food_info: str = ""
    food_price: int = 0
    homestay_price: int = 0
    market_homestay_price: int = 0
    homestay_business_id: int = 0
    homestay_user_id: int = 0
    live_start_date: datetime = date_column()  # DATE: midnight Asia/Shanghai
    live_end_date: datetime = date_column()
    live_people_num: int = 0
    trade_state: int = 0
    trade_code: str = ""
    remark: str = ""
    order_total_price: int = 0
    food_total_price: int = 0
    homestay_total_price: int = 0


class HomestayOrderModel(CachedModel[HomestayOrder]):
    row_type = HomestayOrder
    table = "homestay_order"
    cache_prefix = "cache:looklookOrder:homestayOrder:"
    unique_keys = (("sn",),)

    async def list_by_user(
        self, user_id: int, trade_state: int | None, last_id: int, page_size: int
    ) -> list[HomestayOrder]:
        """A user's orders, newest first, cursor-paged; ``trade_state`` None means all."""
        where, args = "`user_id` = %s", [user_id]
        if trade_state is not None:
            where += " AND `trade_state` = %s"
            args.append(trade_state)
        return await self.find_page_by_id_desc(where, args, last_id, page_size)

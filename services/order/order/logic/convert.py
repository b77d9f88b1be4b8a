"""``homestay_order`` rows as protobuf messages and as upstream's job payload."""

from __future__ import annotations

import json
from typing import Any

from looklook.pb import pb

from order.models import HomestayOrder, HomestayOrderModel

__all__ = ["to_go_row", "to_pb"]


def to_pb(row: HomestayOrder) -> pb.HomestayOrder:
    """All 27 fields; ``needFood`` (27) is sent, which upstream's build dropped."""
    return pb.HomestayOrder(
        id=row.id,
        sn=row.sn,
        user_id=row.user_id,
        homestay_id=row.homestay_id,
        title=row.title,
        sub_title=row.sub_title,
        cover=row.cover,
        info=row.info,
        people_num=row.people_num,
        row_type=row.row_type,
        food_info=row.food_info,
        food_price=row.food_price,
        homestay_price=row.homestay_price,
        market_homestay_price=row.market_homestay_price,
        homestay_business_id=row.homestay_business_id,
        homestay_user_id=row.homestay_user_id,
        live_start_date=int(row.live_start_date.timestamp()),
        live_end_date=int(row.live_end_date.timestamp()),
        live_people_num=row.live_people_num,
        trade_state=row.trade_state,
        trade_code=row.trade_code,
        remark=row.remark,
        order_total_price=row.order_total_price,
        food_total_price=row.food_total_price,
        homestay_total_price=row.homestay_total_price,
        create_time=int(row.create_time.timestamp()),
        need_food=row.need_food,
    )


def to_go_row(model: HomestayOrderModel, row: HomestayOrder) -> dict[str, Any]:
    """The row keyed by Go field names with RFC 3339 times, as upstream's payload."""
    data: dict[str, Any] = json.loads(model.schema.to_json(row))
    return data

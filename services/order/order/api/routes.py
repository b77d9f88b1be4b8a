"""order-api route table (http-api.md §5 #13-#15); every route needs a JWT."""

from __future__ import annotations

from typing import Final

from looklook.web import Route

from order.api import handlers, types

__all__ = ["ROUTES"]

PREFIX: Final = "/order/v1/homestayOrder"

ROUTES: Final = (
    Route(
        f"{PREFIX}/createHomestayOrder",
        handlers.create_homestay_order,
        types.CreateHomestayOrderReq,
        auth="required",
    ),
    Route(
        f"{PREFIX}/userHomestayOrderList",
        handlers.user_homestay_order_list,
        types.UserHomestayOrderListReq,
        auth="required",
    ),
    Route(
        f"{PREFIX}/userHomestayOrderDetail",
        handlers.user_homestay_order_detail,
        types.UserHomestayOrderDetailReq,
        auth="required",
    ),
)

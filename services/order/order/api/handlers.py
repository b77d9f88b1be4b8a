"""order-api handlers: thin, bound request in → logic → response object out."""

from __future__ import annotations

from aiohttp import web
from looklook.web import current_user_id

from order.api import types
from order.logic.orderapi import OrderApi

__all__ = [
    "ORDER_API",
    "create_homestay_order",
    "user_homestay_order_detail",
    "user_homestay_order_list",
]

ORDER_API = web.AppKey("order_api", OrderApi)


async def create_homestay_order(
    request: web.Request, req: types.CreateHomestayOrderReq
) -> types.CreateHomestayOrderResp:
    return await request.app[ORDER_API].create(current_user_id(request), req)


async def user_homestay_order_list(
    request: web.Request, req: types.UserHomestayOrderListReq
) -> types.UserHomestayOrderListResp:
    return await request.app[ORDER_API].user_list(current_user_id(request), req)


async def user_homestay_order_detail(
    request: web.Request, req: types.UserHomestayOrderDetailReq
) -> types.UserHomestayOrderDetailResp | None:
    return await request.app[ORDER_API].detail(current_user_id(request), req)

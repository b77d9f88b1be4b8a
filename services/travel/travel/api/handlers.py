"""travel-api handlers: thin, bound request in → logic.Listings → response object out."""

from __future__ import annotations

from aiohttp import web

from travel.api import types
from travel.logic.listings import Listings

__all__ = [
    "LISTINGS",
    "business_list",
    "comment_list",
    "good_boss",
    "guess_list",
    "homestay_bussiness_detail",
    "homestay_bussiness_list",
    "homestay_detail",
    "homestay_list",
]

LISTINGS = web.AppKey("travel_listings", Listings)


async def homestay_list(request: web.Request, req: types.HomestayListReq) -> types.HomestayListResp:
    return await request.app[LISTINGS].homestay_list(req.page, req.pageSize)


async def business_list(request: web.Request, req: types.BusinessListReq) -> types.HomestayListResp:
    return await request.app[LISTINGS].business_list(
        req.lastId, req.pageSize, req.homestayBusinessId
    )


async def guess_list(request: web.Request, _: types.EmptyReq) -> types.HomestayListResp:
    return await request.app[LISTINGS].guess_list()


async def homestay_detail(request: web.Request, req: types.IdReq) -> types.HomestayDetailResp:
    return await request.app[LISTINGS].homestay_detail(req.id)


async def good_boss(request: web.Request, _: types.EmptyReq) -> types.BossListResp:
    return await request.app[LISTINGS].good_boss()


async def homestay_bussiness_list(
    request: web.Request, req: types.CursorReq
) -> types.HomestayBussinessListResp:
    return await request.app[LISTINGS].business_shop_list(req.lastId, req.pageSize)


async def homestay_bussiness_detail(
    request: web.Request, req: types.IdReq
) -> types.HomestayBossResp:
    return await request.app[LISTINGS].business_shop_detail(req.id)


async def comment_list(request: web.Request, req: types.CursorReq) -> types.CommentListResp:
    return await request.app[LISTINGS].comment_list(req.lastId, req.pageSize)

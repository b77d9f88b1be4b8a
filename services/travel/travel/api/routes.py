"""travel-api route table (http-api.md §5 #5-#12); all public, upstream's spelling."""

from __future__ import annotations

from typing import Final

from looklook.web import Route

from travel.api import handlers as h
from travel.api import types as t

__all__ = ["ROUTES"]

PREFIX: Final = "/travel/v1"

ROUTES: Final = (
    Route(f"{PREFIX}/homestay/homestayList", h.homestay_list, t.HomestayListReq),
    Route(f"{PREFIX}/homestay/businessList", h.business_list, t.BusinessListReq),
    Route(f"{PREFIX}/homestay/guessList", h.guess_list, t.EmptyReq),
    Route(f"{PREFIX}/homestay/homestayDetail", h.homestay_detail, t.HomestayDetailReq),
    Route(f"{PREFIX}/homestayBussiness/goodBoss", h.good_boss, t.EmptyReq),
    Route(
        f"{PREFIX}/homestayBussiness/homestayBussinessList", h.homestay_bussiness_list, t.CursorReq
    ),
    Route(
        f"{PREFIX}/homestayBussiness/homestayBussinessDetail", h.homestay_bussiness_detail, t.IdReq
    ),
    Route(f"{PREFIX}/homestayComment/commentList", h.comment_list, t.CommentListReq),
)

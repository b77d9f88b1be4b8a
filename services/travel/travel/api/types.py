"""travel-api request and response types (http-api.md §6.2), keys in contract order."""

from __future__ import annotations

from looklook.web import RequestModel, ResponseModel
from pydantic import Field

# ruff: noqa: N815 - the attribute names are the JSON keys

__all__ = [
    "BusinessListReq",
    "CommentListReq",
    "CommentListResp",
    "EmptyReq",
    "HomestayBossResp",
    "HomestayBusinessBoss",
    "HomestayBusinessListInfo",
    "HomestayBussinessListResp",
    "HomestayComment",
    "HomestayDetailReq",
    "HomestayDetailResp",
    "HomestayListReq",
    "HomestayListResp",
    "Homestay",
    "BossListResp",
    "IdReq",
    "CursorReq",
]


class Homestay(ResponseModel):
    id: int = 0
    title: str = ""
    subTitle: str = ""
    banner: str = ""
    info: str = ""
    peopleNum: int = 0
    homestayBusinessId: int = 0
    userId: int = 0
    rowState: int = 0
    rowType: int = 0
    foodInfo: str = ""
    foodPrice: float = 0
    homestayPrice: float = 0
    marketHomestayPrice: float = 0


class HomestayBusinessBoss(ResponseModel):
    id: int = 0
    userId: int = 0
    nickname: str = ""
    avatar: str = ""
    info: str = ""
    rank: int = 0


class HomestayBusinessListInfo(ResponseModel):
    id: int
    title: str
    info: str
    tags: str
    cover: str
    star: float
    isFav: int = 0
    headerImg: str
    sellMonth: int = 0
    personConsume: int = 0


class HomestayComment(ResponseModel):
    id: int
    homestayId: int
    content: str
    star: float
    userId: int
    nickname: str
    avatar: str


# -- requests -------------------------------------------------------------------------


class EmptyReq(RequestModel):
    """GuessListReq, GoodBossReq: no fields, any or no body."""


class HomestayListReq(RequestModel):
    page: int
    pageSize: int


class BusinessListReq(RequestModel):
    lastId: int
    pageSize: int
    homestayBusinessId: int


class IdReq(RequestModel):
    """HomestayDetailReq (homestay id) and HomestayBussinessDetailReq (shop id)."""

    id: int


HomestayDetailReq = IdReq


class CursorReq(RequestModel):
    """HomestayBussinessListReq and CommentListReq: ``lastId`` cursor + ``pageSize``."""

    lastId: int
    pageSize: int


CommentListReq = CursorReq

# -- responses ------------------------------------------------------------------------


class HomestayListResp(ResponseModel):
    """homestayList, businessList and guessList."""

    items: list[Homestay] | None = Field(default=None, alias="list")


class HomestayDetailResp(ResponseModel):
    homestay: Homestay


class BossListResp(ResponseModel):
    """goodBoss."""

    items: list[HomestayBusinessBoss] | None = Field(default=None, alias="list")


class HomestayBussinessListResp(ResponseModel):
    items: list[HomestayBusinessListInfo] | None = Field(default=None, alias="list")


class HomestayBossResp(ResponseModel):
    """homestayBussinessDetail."""

    boss: HomestayBusinessBoss


class CommentListResp(ResponseModel):
    items: list[HomestayComment] | None = Field(default=None, alias="list")

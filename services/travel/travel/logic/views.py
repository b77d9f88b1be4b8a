"""Rows and RPC messages → travel-api response objects (prices fen → yuan)."""

from __future__ import annotations

import json
from typing import Any, Protocol

from looklook.money import fen_to_yuan
from looklook.pb import pb

from travel.api import types
from travel.models import HomestayBusiness, HomestayComment

__all__ = ["boss_view", "business_view", "comment_star", "comment_view", "homestay_view"]


class HomestayLike(Protocol):
    """A ``travel.models.Homestay`` row or a ``pb.Homestay``: same attribute names."""

    id: int
    title: str
    sub_title: str
    banner: str
    info: str
    people_num: int
    homestay_business_id: int
    user_id: int
    row_state: int
    row_type: int
    food_info: str
    food_price: int
    homestay_price: int
    market_homestay_price: int


def homestay_view(h: HomestayLike) -> types.Homestay:
    return types.Homestay(
        id=h.id,
        title=h.title,
        subTitle=h.sub_title,
        banner=h.banner,
        info=h.info,
        peopleNum=h.people_num,
        homestayBusinessId=h.homestay_business_id,
        userId=h.user_id,
        rowState=h.row_state,
        rowType=h.row_type,
        foodInfo=h.food_info,
        foodPrice=fen_to_yuan(h.food_price),
        homestayPrice=fen_to_yuan(h.homestay_price),
        marketHomestayPrice=fen_to_yuan(h.market_homestay_price),
    )


def boss_view(user: pb.User) -> types.HomestayBusinessBoss:
    """Upstream copies the *user* into the boss: id = user id, userId and rank stay 0."""
    return types.HomestayBusinessBoss(
        id=user.id, nickname=user.nickname, avatar=user.avatar, info=user.info
    )


def business_view(b: HomestayBusiness) -> types.HomestayBusinessListInfo:
    return types.HomestayBusinessListInfo(
        id=b.id,
        title=b.title,
        info=b.info,
        tags=b.tags,
        cover=b.cover,
        star=b.star,
        headerImg=b.header_img,
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def comment_star(raw: str) -> float:
    """One rating from the JSON ``star`` column: a plain number, else its ``overall``
    entry, else the mean of its numeric entries (0 when there is none)."""
    try:
        data = json.loads(raw)
    except (ValueError, TypeError):
        return 0.0
    if (single := _number(data)) is not None:
        return single
    if not isinstance(data, dict):
        return 0.0
    if (overall := _number(data.get("overall"))) is not None:
        return overall
    values = [v for v in map(_number, data.values()) if v is not None]
    return round(sum(values) / len(values), 1) if values else 0.0


def comment_view(c: HomestayComment, author: pb.User | None) -> types.HomestayComment:
    return types.HomestayComment(
        id=c.id,
        homestayId=c.homestay_id,
        content=c.content,
        star=comment_star(c.star),
        userId=c.user_id,
        nickname=author.nickname if author else "",
        avatar=author.avatar if author else "",
    )

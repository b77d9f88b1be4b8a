"""travel-api rules (business-rules.md §2): lists from MySQL, detail via travel-rpc,
landlords via usercenter-rpc.

Fixed against upstream (docs/compatibility.md): an activity pointing at a missing
homestay is skipped instead of failing the request, list items keep the activity
order (``data_id DESC``), and commentList returns real comments.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from looklook import errors
from looklook.data import DataError
from looklook.errors import CodeError
from looklook.pb import pb

from travel.api import types
from travel.logic.views import boss_view, business_view, comment_view, homestay_view
from travel.models import (
    ROW_TYPE_GOOD_BUSINESS,
    ROW_TYPE_PREFERRED_HOMESTAY,
    Homestay,
    HomestayActivityModel,
    HomestayBusinessModel,
    HomestayCommentModel,
    HomestayModel,
)

__all__ = ["GOOD_BOSS_LIMIT", "GUESS_LIMIT", "Listings"]

log = logging.getLogger(__name__)

GUESS_LIMIT = 5
GOOD_BOSS_LIMIT = 10
ROW_ON = 1
MSG_DETAIL_FAIL = "get homestay detail fail"
MSG_BOSS_FAIL = "get boss info fail"


def _db_error(exc: DataError) -> CodeError:
    log.error("travel db error", exc_info=exc)
    return CodeError.of_code(errors.DB_ERROR)


async def _gather_present[K, V](
    keys: Sequence[K], load: Callable[[K], Awaitable[V | None]]
) -> list[V]:
    """Load every key concurrently; keep the keys' order, drop misses and failures."""
    results = await asyncio.gather(*(load(k) for k in keys), return_exceptions=True)
    found: list[V] = []
    for key, result in zip(keys, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            log.warning("list item skipped", extra={"key": key}, exc_info=result)
        elif result is not None:
            found.append(result)
    return found


@dataclass
class Listings:
    homestays: HomestayModel
    activities: HomestayActivityModel
    businesses: HomestayBusinessModel
    comments: HomestayCommentModel
    travel_rpc: pb.TravelStub
    usercenter_rpc: pb.UsercenterStub

    async def _user(self, user_id: int) -> pb.User | None:
        """A user for display; None when usercenter-rpc has no such (live) user."""
        user = (await self.usercenter_rpc.get_user_info(pb.GetUserInfoReq(id=user_id))).user
        return user if user and user.id else None

    async def homestay_list(self, page: int, page_size: int) -> types.HomestayListResp:
        try:
            acts = await self.activities.list_by_type(
                ROW_TYPE_PREFERRED_HOMESTAY, ROW_ON, page, page_size
            )
        except DataError as exc:
            raise _db_error(exc) from exc
        rows: list[Homestay] = await _gather_present(
            [a.data_id for a in acts], self.homestays.find_one
        )
        return types.HomestayListResp(items=[homestay_view(h) for h in rows])

    async def business_list(
        self, last_id: int, page_size: int, business_id: int
    ) -> types.HomestayListResp:
        try:
            rows = await self.homestays.list_by_business(business_id, last_id, page_size)
        except DataError as exc:
            raise _db_error(exc) from exc
        return types.HomestayListResp(items=[homestay_view(h) for h in rows])

    async def guess_list(self) -> types.HomestayListResp:
        try:
            rows = await self.homestays.find_all(order_by="`id` DESC", limit=GUESS_LIMIT)
        except DataError as exc:
            raise _db_error(exc) from exc
        return types.HomestayListResp(items=[homestay_view(h) for h in rows])

    async def homestay_detail(self, homestay_id: int) -> types.HomestayDetailResp:
        try:
            resp = await self.travel_rpc.homestay_detail(pb.HomestayDetailReq(id=homestay_id))
        except Exception as exc:  # noqa: BLE001 - upstream masks every rpc failure
            log.warning("travel rpc homestayDetail failed", exc_info=exc)
            raise CodeError.of_msg(MSG_DETAIL_FAIL) from exc
        return types.HomestayDetailResp(homestay=homestay_view(resp.homestay or pb.Homestay()))

    async def good_boss(self) -> types.BossListResp:
        try:
            acts = await self.activities.list_by_type(
                ROW_TYPE_GOOD_BUSINESS, ROW_ON, 1, GOOD_BOSS_LIMIT
            )
        except DataError as exc:
            raise _db_error(exc) from exc
        users = await _gather_present([a.data_id for a in acts], self._user)
        return types.BossListResp(items=[boss_view(u) for u in users])

    async def business_shop_list(
        self, last_id: int, page_size: int
    ) -> types.HomestayBussinessListResp:
        try:
            rows = await self.businesses.list_page(last_id, page_size)
        except DataError as exc:
            raise _db_error(exc) from exc
        return types.HomestayBussinessListResp(items=[business_view(b) for b in rows])

    async def business_shop_detail(self, business_id: int) -> types.HomestayBossResp:
        try:
            shop = await self.businesses.find_one(business_id)
        except DataError as exc:
            raise _db_error(exc) from exc
        if shop is None:
            return types.HomestayBossResp(boss=types.HomestayBusinessBoss())
        try:
            resp = await self.usercenter_rpc.get_user_info(pb.GetUserInfoReq(id=shop.user_id))
        except Exception as exc:  # noqa: BLE001 - upstream masks every rpc failure
            log.warning("usercenter rpc getUserInfo failed", exc_info=exc)
            raise CodeError.of_msg(MSG_BOSS_FAIL) from exc
        return types.HomestayBossResp(boss=boss_view(resp.user or pb.User()))

    async def comment_list(self, last_id: int, page_size: int) -> types.CommentListResp:
        try:
            rows = await self.comments.find_page_by_id_desc("", (), last_id, page_size)
        except DataError as exc:
            raise _db_error(exc) from exc
        author_ids = list(dict.fromkeys(c.user_id for c in rows))
        authors = {u.id: u for u in await _gather_present(author_ids, self._user)}
        return types.CommentListResp(items=[comment_view(c, authors.get(c.user_id)) for c in rows])

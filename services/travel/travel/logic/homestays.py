"""travel-rpc ``homestayDetail`` (grpc.md §3): one homestay by id, read through the cache."""

from __future__ import annotations

import logging

from looklook import errors
from looklook.data import DataError
from looklook.errors import CodeError
from looklook.pb import pb
from looklook.rpc.present import present

from travel.models import Homestay, HomestayModel

__all__ = ["homestay_detail", "homestay_pb"]

log = logging.getLogger(__name__)


def homestay_pb(row: Homestay | None) -> pb.Homestay:
    """The wire message; a missing row is an all-zero (but present) Homestay."""
    if row is None:
        return present(pb.Homestay())
    return present(
        pb.Homestay(
            id=row.id,
            title=row.title,
            sub_title=row.sub_title,
            banner=row.banner,
            info=row.info,
            people_num=row.people_num,
            homestay_business_id=row.homestay_business_id,
            user_id=row.user_id,
            row_state=row.row_state,
            row_type=row.row_type,
            food_info=row.food_info,
            food_price=row.food_price,
            homestay_price=row.homestay_price,
            market_homestay_price=row.market_homestay_price,
        )
    )


async def homestay_detail(
    homestays: HomestayModel, req: pb.HomestayDetailReq
) -> pb.HomestayDetailResp:
    try:
        row = await homestays.find_one(req.id)
    except DataError as exc:
        log.error("homestay lookup failed", exc_info=exc)
        raise CodeError.of_code(errors.DB_ERROR) from exc
    return pb.HomestayDetailResp(homestay=homestay_pb(row))

"""``homestay_activity``: curated lists; ``data_id`` is a homestay id or a landlord user id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel

ROW_TYPE_PREFERRED_HOMESTAY = "preferredHomestay"  # data_id = homestay.id
ROW_TYPE_GOOD_BUSINESS = "goodBusiness"  # data_id = user.id of a landlord


@dataclass
class HomestayActivity:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    row_type: str = ""
    data_id: int = 0
    row_status: int = 0
    version: int = 0


class HomestayActivityModel(CachedModel[HomestayActivity]):
    row_type = HomestayActivity
    table = "homestay_activity"
    cache_prefix = "cache:looklookTravel:homestayActivity:"

    async def list_by_type(
        self, row_type: str, row_status: int, page: int, page_size: int
    ) -> list[HomestayActivity]:
        """Activities of one type and status, ``data_id DESC``, offset-paged."""
        return await self.find_page(
            "`row_type` = %s AND `row_status` = %s",
            (row_type, row_status),
            page,
            page_size,
            order_by="`data_id` DESC",
        )

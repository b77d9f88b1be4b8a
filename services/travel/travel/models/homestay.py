"""``homestay``: one bookable homestay of a shop; prices in fen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel


@dataclass
class Homestay:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    version: int = 0
    title: str = ""
    sub_title: str = ""
    banner: str = ""
    info: str = ""
    people_num: int = 0
    homestay_business_id: int = 0
    user_id: int = 0
    row_state: int = 0
    row_type: int = 0
    food_info: str = ""
    food_price: int = 0
    homestay_price: int = 0
    market_homestay_price: int = 0


class HomestayModel(CachedModel[Homestay]):
    row_type = Homestay
    table = "homestay"
    cache_prefix = "cache:looklookTravel:homestay:"

    async def list_by_business(
        self, business_id: int, last_id: int, page_size: int
    ) -> list[Homestay]:
        """A shop's homestays, newest first, cursor-paged (travel businessList)."""
        return await self.find_page_by_id_desc(
            "`homestay_business_id` = %s", (business_id,), last_id, page_size
        )

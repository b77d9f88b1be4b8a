"""``homestay_business``: a landlord's shop, one per user (unique ``user_id``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel


@dataclass
class HomestayBusiness:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    title: str = ""
    user_id: int = 0
    info: str = ""
    boss_info: str = ""
    license_fron: str = ""  # (sic) upstream's column name
    license_back: str = ""
    row_state: int = 0
    star: float = 0.0
    tags: str = ""
    cover: str = ""
    header_img: str = ""
    version: int = 0


class HomestayBusinessModel(CachedModel[HomestayBusiness]):
    row_type = HomestayBusiness
    table = "homestay_business"
    cache_prefix = "cache:looklookTravel:homestayBusiness:"
    unique_keys = (("user_id",),)

    async def list_page(self, last_id: int, page_size: int) -> list[HomestayBusiness]:
        """All shops, newest first, cursor-paged (travel homestayBussinessList)."""
        return await self.find_page_by_id_desc("", (), last_id, page_size)

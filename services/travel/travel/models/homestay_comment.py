"""``homestay_comment``: reviews; ``star`` is a JSON column Go models as a string."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel


@dataclass
class HomestayComment:
    id: int = 0
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    homestay_id: int = 0
    user_id: int = 0
    content: str = ""
    star: str = "{}"  # JSON text, e.g. '{"clean":5,"location":4}'
    version: int = 0


class HomestayCommentModel(CachedModel[HomestayComment]):
    row_type = HomestayComment
    table = "homestay_comment"
    cache_prefix = "cache:looklookTravel:homestayComment:"

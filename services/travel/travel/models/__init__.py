"""Cached models of looklook_travel (database.md §3.3-3.6)."""

from travel.models.homestay import Homestay, HomestayModel
from travel.models.homestay_activity import (
    ROW_TYPE_GOOD_BUSINESS,
    ROW_TYPE_PREFERRED_HOMESTAY,
    HomestayActivity,
    HomestayActivityModel,
)
from travel.models.homestay_business import HomestayBusiness, HomestayBusinessModel
from travel.models.homestay_comment import HomestayComment, HomestayCommentModel

__all__ = [
    "ROW_TYPE_GOOD_BUSINESS",
    "ROW_TYPE_PREFERRED_HOMESTAY",
    "Homestay",
    "HomestayActivity",
    "HomestayActivityModel",
    "HomestayBusiness",
    "HomestayBusinessModel",
    "HomestayComment",
    "HomestayCommentModel",
    "HomestayModel",
]

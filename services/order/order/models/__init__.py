"""Cached model of looklook_order (database.md §3.7)."""

from order.models.homestay_order import HomestayOrder, HomestayOrderModel

__all__ = ["HomestayOrder", "HomestayOrderModel"]

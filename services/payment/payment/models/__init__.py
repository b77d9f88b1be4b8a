"""Cached model of looklook_payment (database.md §3.8)."""

from payment.models.third_payment import ThirdPayment, ThirdPaymentModel

__all__ = ["ThirdPayment", "ThirdPaymentModel"]

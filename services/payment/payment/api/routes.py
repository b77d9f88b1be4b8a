"""payment-api route table (http-api.md §5 #16-#17)."""

from __future__ import annotations

from typing import Final

from looklook.web import Route

from payment.api import handlers, types

__all__ = ["ROUTES"]

PREFIX: Final = "/payment/v1/thirdPayment"

ROUTES: Final = (
    Route(f"{PREFIX}/thirdPaymentWxPayCallback", handlers.third_payment_wx_pay_callback),
    Route(
        f"{PREFIX}/thirdPaymentWxPay",
        handlers.third_payment_wx_pay,
        types.ThirdPaymentWxPayReq,
        auth="required",
    ),
)

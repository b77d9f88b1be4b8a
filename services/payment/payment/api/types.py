"""payment-api request and response types (http-api.md §6.4), keys in contract order."""

from __future__ import annotations

from looklook.web import RequestModel, ResponseModel

__all__ = ["ThirdPaymentWxPayReq", "ThirdPaymentWxPayResp"]


class ThirdPaymentWxPayReq(RequestModel):
    orderSn: str  # noqa: N815 - JSON key
    serviceType: str  # noqa: N815


class ThirdPaymentWxPayResp(ResponseModel):
    appid: str
    nonceStr: str  # noqa: N815
    paySign: str  # noqa: N815
    package: str
    timestamp: str
    signType: str  # noqa: N815

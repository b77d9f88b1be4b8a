"""payment-api handlers: the prepay endpoint and WeChat's plain-text callback."""

from __future__ import annotations

from aiohttp import web
from looklook.web import current_user_id

from payment.api import types
from payment.logic.wxpay import CallbackResult, WxPay

__all__ = ["WX_PAY", "third_payment_wx_pay", "third_payment_wx_pay_callback"]

WX_PAY = web.AppKey("payment_wx_pay", WxPay)
_STATUS = {CallbackResult.SUCCESS: 200, CallbackResult.FAIL: 400, CallbackResult.REJECTED: 400}


async def third_payment_wx_pay(
    request: web.Request, req: types.ThirdPaymentWxPayReq
) -> types.ThirdPaymentWxPayResp:
    return await request.app[WX_PAY].pay(current_user_id(request), req)


async def third_payment_wx_pay_callback(request: web.Request, _: None) -> web.Response:
    """Not go-zero-parsed: the signed raw body is what WeChat's signature covers."""
    body = await request.read()  # size capped by the app's max_bytes (413 beyond)
    result = await request.app[WX_PAY].callback(dict(request.headers), body)
    return web.Response(
        status=_STATUS[result], text=result.value, content_type="text/plain", charset="utf-8"
    )

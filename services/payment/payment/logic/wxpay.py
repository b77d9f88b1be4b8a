"""payment-api use cases: start a WeChat JSAPI payment, take WeChat's notification.

business-rules.md §4.1 and §4.3, with fixes (docs/compatibility.md): only the buyer can
pay, and only an order still awaiting payment; the notification's success time is
recorded; a bad signature or a stale timestamp changes nothing. A success for a second
payment of an already paid order is still recorded (the money was taken) and raised as
an ERROR plus ``payment_duplicate_paid_total`` so someone refunds it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Final

from looklook.errors import CodeError
from looklook.pb import pb
from looklook.rpc import RpcError
from looklook.wechat.pay import JsapiOrder, Transaction, WxPayClient, WxPayError, pay_sign_params

from payment.api import types
from payment.logic.payments import PAID, SERVICE_TYPE_HOMESTAY_ORDER, UNPAID
from payment.metrics import DUPLICATE_PAID

__all__ = ["CallbackResult", "Peers", "WxPay"]

log = logging.getLogger(__name__)

PAY_FAIL: Final = "wechat pay fail"
NO_OPENID: Final = "Get user wechat openid fail，Please pay before authorization by weChat"
NOT_SUPPORTED: Final = "Payment for this business type is not supported"
NOT_PAYABLE: Final = "Only orders pending payment can be paid"
PAY_MODE_WECHAT: Final = "WECHAT_PAY"
DESCRIPTION: Final = "homestay pay"
AUTH_TYPE_WX_MINI: Final = "wxMini"
ORDER_WAIT_PAY: Final = 0
#: WeChat trade_state → platform pay status (§4.3 step 5); others are failures (−1).
_PAY_STATUS: Final = {"SUCCESS": PAID, "USERPAYING": UNPAID, "REFUND": UNPAID}


class CallbackResult(Enum):
    SUCCESS = "SUCCESS"
    FAIL = "FAIL"
    REJECTED = ""  # signature/decrypt failure: HTTP 400, empty body


@dataclass(frozen=True)
class Peers:
    payment: pb.PaymentStub
    order: pb.OrderStub
    usercenter: pb.UsercenterStub


def _unix(rfc3339: str) -> int:
    try:
        return int(datetime.fromisoformat(rfc3339).timestamp()) if rfc3339 else 0
    except ValueError:
        return 0


class WxPay:
    def __init__(self, peers: Peers, client: WxPayClient, app_id: str) -> None:
        self.peers = peers
        self.client = client
        self.app_id = app_id

    async def _payable_order(self, user_id: int, order_sn: str) -> pb.HomestayOrder:
        try:
            resp = await self.peers.order.homestay_order_detail(
                pb.HomestayOrderDetailReq(sn=order_sn)
            )
        except (CodeError, RpcError) as exc:
            raise CodeError.of_msg(PAY_FAIL) from exc
        order = resp.homestay_order
        if order is None or order.id == 0 or order.user_id != user_id:
            raise CodeError.of_msg(PAY_FAIL)  # missing or someone else's: no difference shown
        if order.trade_state != ORDER_WAIT_PAY:
            raise CodeError.of_msg(NOT_PAYABLE)
        return order

    async def _openid(self, user_id: int) -> str:
        try:
            resp = await self.peers.usercenter.get_user_auth_by_user_id(
                pb.GetUserAuthByUserIdReq(user_id=user_id, auth_type=AUTH_TYPE_WX_MINI)
            )
        except (CodeError, RpcError) as exc:
            raise CodeError.of_msg(PAY_FAIL) from exc
        if resp.user_auth is None or not resp.user_auth.auth_key:
            raise CodeError.of_msg(NO_OPENID)
        return resp.user_auth.auth_key

    async def pay(
        self, user_id: int, req: types.ThirdPaymentWxPayReq
    ) -> types.ThirdPaymentWxPayResp:
        if req.serviceType != SERVICE_TYPE_HOMESTAY_ORDER:
            raise CodeError.of_msg(NOT_SUPPORTED)
        order = await self._payable_order(user_id, req.orderSn)
        openid = await self._openid(user_id)
        try:
            created = await self.peers.payment.create_payment(
                pb.CreatePaymentReq(
                    user_id=user_id,
                    pay_model=PAY_MODE_WECHAT,
                    pay_total=order.order_total_price,
                    order_sn=order.sn,
                    service_type=req.serviceType,
                )
            )
        except (CodeError, RpcError) as exc:
            raise CodeError.of_msg(PAY_FAIL) from exc
        if not created.sn:
            raise CodeError.of_msg(PAY_FAIL)
        try:
            prepay_id = await self.client.jsapi_prepay(
                JsapiOrder(
                    app_id=self.app_id,
                    description=DESCRIPTION,
                    out_trade_no=created.sn,
                    attach=DESCRIPTION,
                    amount_total=order.order_total_price,
                    openid=openid,
                )
            )
            params = pay_sign_params(self.client.conf, self.app_id, prepay_id)
        except Exception as exc:  # noqa: BLE001 - any SDK/key/prepay failure is "pay fail"
            log.error("jsapi prepay for %s failed: %s", created.sn, exc)
            raise CodeError.of_msg(PAY_FAIL) from exc
        return types.ThirdPaymentWxPayResp.model_validate(params)

    async def callback(self, headers: dict[str, str], body: bytes) -> CallbackResult:
        try:
            tx = self.client.verify_notification(headers, body)
        except WxPayError as exc:
            log.warning("wechat pay notification rejected: %s", exc)
            return CallbackResult.REJECTED
        try:
            return await self._apply(tx)
        except (CodeError, RpcError) as exc:
            log.error("wechat pay callback fail for %s: %s", tx.out_trade_no, exc)
            return CallbackResult.FAIL

    async def _apply(self, tx: Transaction) -> CallbackResult:
        found = await self.peers.payment.get_payment_by_sn(pb.GetPaymentBySnReq(sn=tx.out_trade_no))
        payment = found.payment_detail
        if payment is None or payment.id == 0:
            return CallbackResult.FAIL
        if tx.amount.payer_total != payment.pay_total:
            log.error(
                "amount mismatch for %s: paid %d, due %d",
                tx.out_trade_no,
                tx.amount.payer_total,
                payment.pay_total,
            )
            return CallbackResult.FAIL
        status = _PAY_STATUS.get(tx.trade_state, -1)
        if status != PAID or payment.pay_status != UNPAID:
            return CallbackResult.SUCCESS  # refunds/failures not recorded (upstream); repeats
        await self._flag_duplicate(payment)
        await self.peers.payment.update_trade_state(
            pb.UpdateTradeStateReq(
                sn=tx.out_trade_no,
                trade_state=tx.trade_state,
                transaction_id=tx.transaction_id,
                trade_type=tx.trade_type,
                trade_state_desc=tx.trade_state_desc,
                pay_status=PAID,
                pay_time=_unix(tx.success_time),
            )
        )
        return CallbackResult.SUCCESS

    async def _flag_duplicate(self, payment: pb.PaymentDetail) -> None:
        """Shout if another record of the same order is already paid (a double charge).

        Diagnostic only: a failed lookup is logged and the payment is recorded anyway.
        """
        try:
            found = await self.peers.payment.get_payment_success_refund_by_order_sn(
                pb.GetPaymentSuccessRefundByOrderSnReq(order_sn=payment.order_sn)
            )
        except (CodeError, RpcError) as exc:
            log.warning("duplicate-payment check for %s failed: %s", payment.sn, exc)
            return
        other = found.payment_detail
        if other is None or other.pay_status != PAID or other.sn == payment.sn:
            return  # none, or refunded (not a standing double charge), or this one
        DUPLICATE_PAID.inc()
        log.error(
            "order %s paid twice: %s already paid, now %s (refund needed)",
            payment.order_sn,
            other.sn,
            payment.sn,
        )

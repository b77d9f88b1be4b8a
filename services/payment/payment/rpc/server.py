"""payment-rpc: the pb.payment service, each method delegating to logic.Payments."""

from __future__ import annotations

from looklook.pb import pb

from payment.logic.payments import Payments

__all__ = ["PaymentServer"]


class PaymentServer(pb.PaymentBase):
    def __init__(self, payments: Payments) -> None:
        self.payments = payments

    async def create_payment(self, create_payment_req: pb.CreatePaymentReq) -> pb.CreatePaymentResp:
        return await self.payments.create(create_payment_req)

    async def get_payment_by_sn(
        self, get_payment_by_sn_req: pb.GetPaymentBySnReq
    ) -> pb.GetPaymentBySnResp:
        return await self.payments.by_sn(get_payment_by_sn_req)

    async def update_trade_state(
        self, update_trade_state_req: pb.UpdateTradeStateReq
    ) -> pb.UpdateTradeStateResp:
        return await self.payments.update_trade_state(update_trade_state_req)

    async def get_payment_success_refund_by_order_sn(
        self,
        get_payment_success_refund_by_order_sn_req: pb.GetPaymentSuccessRefundByOrderSnReq,
    ) -> pb.GetPaymentSuccessRefundByOrderSnResp:
        return await self.payments.success_or_refund_by_order_sn(
            get_payment_success_refund_by_order_sn_req
        )

"""``third_payment``: one WeChat Pay attempt for a business order; amounts in fen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from looklook.data import EPOCH, CachedModel, Transaction

PAY_STATUS_UNPAID = 0
PAY_STATUS_PAID = 1
PAY_STATUS_REFUNDED = 2


@dataclass
class ThirdPayment:
    id: int = 0
    sn: str = ""
    create_time: datetime = EPOCH
    update_time: datetime = EPOCH
    delete_time: datetime = EPOCH
    del_state: int = 0
    version: int = 0
    user_id: int = 0
    pay_mode: str = ""
    trade_type: str = ""
    trade_state: str = ""
    pay_total: int = 0
    transaction_id: str = ""
    trade_state_desc: str = ""
    order_sn: str = ""
    service_type: str = ""
    pay_status: int = 0
    pay_time: datetime = EPOCH  # the column default; never Go's zero time


class ThirdPaymentModel(CachedModel[ThirdPayment]):
    row_type = ThirdPayment
    table = "third_payment"
    cache_prefix = "cache:looklookPayment:thirdPayment:"
    unique_keys = (("sn",),)

    async def find_success_or_refund_by_order_sn(self, order_sn: str) -> ThirdPayment | None:
        """Newest paid-or-refunded payment of an order.

        Filters ``pay_status`` in (1, 2): upstream compared the text column
        ``trade_state`` with integers and never matched (docs/compatibility.md).
        """
        rows = await self.find_all(
            "`order_sn` = %s AND `pay_status` IN (%s, %s)",
            (order_sn, PAY_STATUS_PAID, PAY_STATUS_REFUNDED),
            order_by="`id` DESC",
            limit=1,
        )
        return rows[0] if rows else None

    async def find_open_by_order_sn(self, order_sn: str, conn: Transaction) -> list[ThirdPayment]:
        """An order's pending and paid payments, newest first, read on ``conn`` (the
        connection holding the order's payment lock), never cached."""
        where = self._where("`order_sn` = %s AND `pay_status` IN (%s, %s)")
        sql = f"{self._select} WHERE {where} ORDER BY `id` DESC"
        records = await conn.fetch_all(sql, (order_sn, PAY_STATUS_UNPAID, PAY_STATUS_PAID))
        return [self.schema.from_db(r) for r in records]

"""third_payment model on a fresh database and on upstream's own dump."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from looklook.data import EPOCH, Cache, Database
from looklook.data.testing import STORE_VARIANTS, model_stores
from looklook.sn import SHANGHAI
from payment.models import ThirdPayment, ThirdPaymentModel

SQL_DIR = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(params=STORE_VARIANTS)
async def stores(request, infra) -> AsyncIterator[tuple[Database, Cache]]:
    async with model_stores(infra, "payment", SQL_DIR, request.param) as s:
        yield s


async def test_payment_insert_defaults_and_paid_update(stores):
    db, cache = stores
    payments = ThirdPaymentModel(db, cache)
    sn = "PMT2024050112000087654321"
    pid = await payments.insert(
        ThirdPayment(
            sn=sn,
            user_id=1,
            pay_mode="WECHAT_PAY",
            pay_total=62600,
            order_sn="HSO2024050112000012345678",
            service_type="homestayOrder",
        )
    )
    row = await payments.find_one_by(sn=sn)
    assert row is not None and row.id == pid and row.pay_time == EPOCH
    doc = json.loads(
        await cache.client.get(cache.namespace + f"cache:looklookPayment:thirdPayment:id:{pid}")
    )
    assert list(doc)[:2] == ["Id", "Sn"] and doc["PayTime"] == "1970-01-01T08:00:00+08:00"

    row.pay_status, row.trade_state = 1, "SUCCESS"
    row.pay_time = datetime(2024, 5, 1, 12, 0, 5, tzinfo=SHANGHAI)
    await payments.update_with_version(row)
    paid = await payments.find_one(pid)
    assert paid is not None and paid.pay_time == row.pay_time and paid.version == 1


async def test_success_or_refund_by_order_sn_is_newest_paid(stores):
    db, cache = stores
    payments = ThirdPaymentModel(db, cache)
    order_sn = "HSO2024050112000012345678"
    for i, status in enumerate((1, 0, 2, -1)):
        await payments.insert(ThirdPayment(sn=f"PMT{i}", order_sn=order_sn, pay_status=status))
    found = await payments.find_success_or_refund_by_order_sn(order_sn)
    assert found is not None and (found.sn, found.pay_status) == ("PMT2", 2)
    assert await payments.find_success_or_refund_by_order_sn("HSO-none") is None

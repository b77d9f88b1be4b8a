"""Upstream's asynq task names and payloads (contract messaging-and-jobs.md §2.2).

Producers (order-rpc) and the consumer (mqueue-job) import these so both sides agree on
the wire. Upstream's payload structs have no JSON tags, so keys are Go field names
(``Sn``, ``Order``); Go decodes keys case-insensitively, so we accept ``sn`` / ``order``
(and snake_case row keys) as well, but always emit the Go spelling.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

CLOSE_ORDER: Final = "defer:homestay_order:close"
PAY_SUCCESS_NOTIFY_USER: Final = "msg:pay_success:notify_user"
SETTLE_RECORD: Final = "schedule:settle_record:settle"

TASK_NAMES: Final = (CLOSE_ORDER, PAY_SUCCESS_NOTIFY_USER, SETTLE_RECORD)

#: Keys of the cached ``homestay_order`` row, in upstream's Go field spelling and order.
HOMESTAY_ORDER_KEYS: Final = (
    "Id", "CreateTime", "UpdateTime", "DeleteTime", "DelState", "Version", "Sn", "UserId",
    "HomestayId", "Title", "SubTitle", "Cover", "Info", "PeopleNum", "RowType", "NeedFood",
    "FoodInfo", "FoodPrice", "HomestayPrice", "MarketHomestayPrice", "HomestayBusinessId",
    "HomestayUserId", "LiveStartDate", "LiveEndDate", "LivePeopleNum", "TradeState",
    "TradeCode", "Remark", "OrderTotalPrice", "FoodTotalPrice", "HomestayTotalPrice",
)
_GO_KEY_BY_FOLDED: Final = {k.lower(): k for k in HOMESTAY_ORDER_KEYS}


def go_order_key(key: str) -> str:
    """Map ``tradeCode`` / ``trade_code`` / ``TRADECODE`` to ``TradeCode``; unknown keys pass."""
    return _GO_KEY_BY_FOLDED.get(key.replace("_", "").lower(), key)


class _Payload(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object upstream's Go side produces (Go field names)."""
        return self.model_dump(by_alias=True, mode="json")


class CloseOrderPayload(_Payload):
    """``defer:homestay_order:close``: close the order if it is still unpaid."""

    Sn: str = Field(validation_alias=AliasChoices("Sn", "sn", "SN"), min_length=1)


class PaySuccessNotifyPayload(_Payload):
    """``msg:pay_success:notify_user``: the full order row after it became paid."""

    Order: dict[str, Any] = Field(validation_alias=AliasChoices("Order", "order", "ORDER"))

    @field_validator("Order")
    @classmethod
    def _go_keys(cls, row: dict[str, Any]) -> dict[str, Any]:
        return {go_order_key(k): v for k, v in row.items()}


class SettleRecordPayload(_Payload):
    """``schedule:settle_record:settle``: upstream sends no payload; we accept anything."""

    model_config = ConfigDict(extra="allow", frozen=True)


PAYLOAD_MODELS: Final[dict[str, type[_Payload]]] = {
    CLOSE_ORDER: CloseOrderPayload,
    PAY_SUCCESS_NOTIFY_USER: PaySuccessNotifyPayload,
    SETTLE_RECORD: SettleRecordPayload,
}

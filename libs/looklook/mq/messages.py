"""Upstream's Kafka message contract (messaging-and-jobs.md §1.2), shared by both ends.

Upstream's payment-rpc put the *payment* serial (``PMT…``) into ``orderSn``, so its
order-mq could never find the order. We publish the homestay ORDER sn there (see
docs/compatibility.md); key names, order and types are unchanged.
"""

from __future__ import annotations

import json
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError

from looklook import gojson

PAYMENT_UPDATE_PAYSTATUS_TOPIC: Final = "payment-update-paystatus-topic"
PAYMENT_UPDATE_PAYSTATUS_GROUP: Final = "payment-update-paystatus-group"


class MessageFormatError(ValueError):
    """A Kafka value that is not a valid message of the expected kind."""


class PaymentStatusMessage(BaseModel):
    """``{"payStatus":1,"orderSn":"HSO…"}``: a payment's new platform pay status."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    payStatus: StrictInt  # noqa: N815 - upstream's wire key
    orderSn: StrictStr  # noqa: N815 - upstream's wire key

    def to_bytes(self) -> bytes:
        """Byte-exact Go encoding: compact, ``payStatus`` first."""
        return gojson.dumps({"payStatus": self.payStatus, "orderSn": self.orderSn})

    @classmethod
    def from_bytes(cls, value: bytes | str | None) -> PaymentStatusMessage:
        """Parse a Kafka value; anything malformed raises MessageFormatError."""
        if value is None:
            raise MessageFormatError("empty message")
        try:
            data: Any = json.loads(value)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MessageFormatError(f"not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise MessageFormatError("not a JSON object")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
            raise MessageFormatError(f"bad fields: {fields}") from exc

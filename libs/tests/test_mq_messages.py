"""Upstream's payment-status message: byte-exact encoding and tolerant, typed parsing."""

from __future__ import annotations

import pytest
from looklook.mq.messages import (
    PAYMENT_UPDATE_PAYSTATUS_GROUP,
    PAYMENT_UPDATE_PAYSTATUS_TOPIC,
    MessageFormatError,
    PaymentStatusMessage,
)


def test_wire_bytes_match_go():
    msg = PaymentStatusMessage(payStatus=1, orderSn="HSO2024010215040512345678")
    assert msg.to_bytes() == b'{"payStatus":1,"orderSn":"HSO2024010215040512345678"}'
    assert PAYMENT_UPDATE_PAYSTATUS_TOPIC == "payment-update-paystatus-topic"
    assert PAYMENT_UPDATE_PAYSTATUS_GROUP == "payment-update-paystatus-group"


def test_parse_accepts_upstream_and_extra_keys():
    raw = b'{"payStatus":-1,"orderSn":"PMT1","extra":true}'
    assert PaymentStatusMessage.from_bytes(raw) == PaymentStatusMessage(
        payStatus=-1, orderSn="PMT1"
    )


@pytest.mark.parametrize(
    "raw",
    [None, b"", b"not json", b"\xff\xfe", b"[1,2]", b'{"payStatus":1}',
     b'{"payStatus":"1","orderSn":"x"}', b'{"payStatus":true,"orderSn":"x"}',
     b'{"payStatus":1,"orderSn":5}'],
)
def test_bad_values_raise_message_format_error(raw):
    with pytest.raises(MessageFormatError):
        PaymentStatusMessage.from_bytes(raw)

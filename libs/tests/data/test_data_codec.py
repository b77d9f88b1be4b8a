"""Go names and Go time JSON, the parts of the cache format that Go services read."""

from __future__ import annotations

from datetime import UTC, datetime

from looklook.data.codec import format_go_time, go_field_name, key_part_name, parse_go_time
from looklook.sn import SHANGHAI


def test_go_field_names_are_goctl_style():
    assert go_field_name("id") == "Id"
    assert go_field_name("user_id") == "UserId"
    assert go_field_name("license_fron") == "LicenseFron"
    assert go_field_name("homestay_business_id") == "HomestayBusinessId"
    assert key_part_name("auth_type") == "authType"
    assert key_part_name("sn") == "sn"


def test_times_are_rfc3339_in_shanghai_with_fraction_only_when_set():
    assert format_go_time(datetime(2024, 1, 2, 15, 4, 5, tzinfo=SHANGHAI)) == (
        "2024-01-02T15:04:05+08:00"
    )
    assert format_go_time(datetime(2024, 1, 2, 7, 4, 5, 120000, tzinfo=UTC)) == (
        "2024-01-02T15:04:05.12+08:00"
    )
    assert format_go_time(datetime(1970, 1, 1, 8, 0)) == "1970-01-01T08:00:00+08:00"  # naive


def test_parse_accepts_go_nanoseconds_and_any_offset():
    assert parse_go_time("2024-01-02T15:04:05.123456789+08:00") == datetime(
        2024, 1, 2, 15, 4, 5, 123456, tzinfo=SHANGHAI
    )
    parsed = parse_go_time("2024-01-02T07:04:05Z")
    assert parsed == datetime(2024, 1, 2, 15, 4, 5, tzinfo=SHANGHAI)
    assert parsed.utcoffset() == datetime(2024, 1, 2, tzinfo=SHANGHAI).utcoffset()

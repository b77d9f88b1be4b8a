"""Error codes and texts are wire values: compare bytes, not just strings."""

from __future__ import annotations

import pytest
from looklook import errors
from looklook.errors import ALLOWED_CODES, GENERIC_MSG, GENERIC_MSG_FULLWIDTH, CodeError


@pytest.mark.parametrize(
    ("code", "utf8_hex"),
    [
        (200, "53554343455353"),  # SUCCESS
        (
            100001,
            "e69c8de58aa1e599a8e5bc80e5b08fe5b7aee595a62ce7a88de5908ee5868de69da5e8af95e4b880e8af95",
        ),
        (100002, "e58f82e695b0e99499e8afaf"),
        (100003, "746f6b656ee5a4b1e69588efbc8ce8afb7e9878de696b0e799bbe99986"),
        (100004, "e7949fe68890746f6b656ee5a4b1e8b4a5"),
        (100005, "e695b0e68daee5ba93e7b981e5bf992ce8afb7e7a88de5908ee5868de8af95"),
        (100006, "e69bb4e696b0e695b0e68daee5bdb1e5938de8a18ce695b0e4b8ba30"),
    ],
)
def test_registered_texts_are_byte_exact(code: int, utf8_hex: str) -> None:
    assert CodeError.of_code(code).msg.encode().hex() == utf8_hex
    assert CodeError.of_code(code).code == code


def test_two_generic_texts_differ_only_in_the_comma() -> None:
    assert GENERIC_MSG.replace(",", "，") == GENERIC_MSG_FULLWIDTH
    assert "," in GENERIC_MSG and "，" in GENERIC_MSG_FULLWIDTH


def test_constants_and_allow_list() -> None:
    assert (errors.OK, errors.SERVER_COMMON_ERROR, errors.REQUEST_PARAM_ERROR) == (
        200,
        100001,
        100002,
    )
    assert (errors.TOKEN_EXPIRE_ERROR, errors.TOKEN_GENERATE_ERROR) == (100003, 100004)
    assert (errors.DB_ERROR, errors.DB_UPDATE_AFFECTED_ZERO_ERROR) == (100005, 100006)
    assert ALLOWED_CODES == frozenset({200, 100001, 100002, 100003, 100004, 100005, 100006})


def test_unknown_code_gets_ascii_generic_text() -> None:
    err = CodeError.of_code(123456)
    assert (err.code, err.msg) == (123456, GENERIC_MSG)


def test_of_msg_is_always_100001() -> None:
    err = CodeError.of_msg("user has been registered")
    assert (err.code, err.msg) == (100001, "user has been registered")


def test_wrapping_keeps_cause_for_logs_only() -> None:
    cause = RuntimeError("driver: connection refused")
    with pytest.raises(CodeError) as info:
        try:
            raise cause
        except RuntimeError as exc:
            raise CodeError.of_code(errors.DB_ERROR) from exc
    assert info.value.__cause__ is cause
    assert "connection refused" not in info.value.msg
    assert info.value == CodeError(100005, "数据库繁忙,请稍后再试")

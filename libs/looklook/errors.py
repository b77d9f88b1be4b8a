"""Upstream's business error model (contract errors.md, ``pkg/xerr``).

A business error is a ``(code, msg)`` pair that may reach clients; everything else is
hidden behind the generic text. Codes and texts here are byte-exact wire values.
"""

from __future__ import annotations

from typing import Final

OK: Final = 200
SERVER_COMMON_ERROR: Final = 100001
REQUEST_PARAM_ERROR: Final = 100002
TOKEN_EXPIRE_ERROR: Final = 100003
TOKEN_GENERATE_ERROR: Final = 100004
DB_ERROR: Final = 100005
DB_UPDATE_AFFECTED_ZERO_ERROR: Final = 100006

#: Generic text of the code table (ASCII comma); "by code" with an unknown code uses it.
GENERIC_MSG: Final = "服务器开小差啦,稍后再来试一试"
#: Generic text of the HTTP result writer (full-width comma) for non-business causes.
GENERIC_MSG_FULLWIDTH: Final = "服务器开小差啦，稍后再来试一试"

MESSAGES: Final[dict[int, str]] = {
    OK: "SUCCESS",
    SERVER_COMMON_ERROR: GENERIC_MSG,
    REQUEST_PARAM_ERROR: "参数错误",
    TOKEN_EXPIRE_ERROR: "token失效，请重新登陆",
    TOKEN_GENERATE_ERROR: "生成token失败",
    DB_ERROR: "数据库繁忙,请稍后再试",
    DB_UPDATE_AFFECTED_ZERO_ERROR: "更新数据影响行数为0",
}

#: The allow-list used when translating gRPC statuses into HTTP envelopes (errors.md §3.2).
ALLOWED_CODES: Final[frozenset[int]] = frozenset(MESSAGES)


def message_of(code: int) -> str:
    """Registered text of ``code``; unknown codes get the ASCII-comma generic text."""
    return MESSAGES.get(code, GENERIC_MSG)


class CodeError(Exception):
    """A business error whose code and message may be shown to clients.

    Wrap diagnostics with ``raise CodeError.of_msg("...") from exc``: the cause is kept
    for logs only and never reaches the wire.
    """

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(code, msg)
        self.code = code
        self.msg = msg

    @classmethod
    def of_code(cls, code: int) -> CodeError:
        """Error with the registered text of ``code`` (upstream ``NewErrCode``)."""
        return cls(code, message_of(code))

    @classmethod
    def of_msg(cls, msg: str) -> CodeError:
        """Message-only business error, always code 100001 (upstream ``NewErrMsg``)."""
        return cls(SERVER_COMMON_ERROR, msg)

    def __str__(self) -> str:
        return f"ErrCode:{self.code}，ErrMsg:{self.msg}"

    def __repr__(self) -> str:
        return f"CodeError({self.code!r}, {self.msg!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CodeError):
            return NotImplemented
        return (self.code, self.msg) == (other.code, other.msg)

    def __hash__(self) -> int:
        return hash((self.code, self.msg))

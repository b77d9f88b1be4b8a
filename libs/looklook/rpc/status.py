"""Numeric gRPC status codes outside grpclib's ``Status`` enum (errors.md §3, §6).

Upstream's Go servers put business codes (100001...) into ``grpc-status``. grpclib
models statuses as the IntEnum ``grpclib.const.Status``, which cannot hold them:

* sending: grpclib writes ``str(status.value)`` and compares against ``Status.OK``, so
  an ``int`` subclass with a ``value`` property travels unchanged (no patching needed);
* receiving: ``grpclib.client.Stream._process_grpc_status`` turns an unknown number
  into ``UNKNOWN 'Invalid grpc-status'`` and drops ``grpc-message``. There is no event
  before that point, so :class:`CodeAwareStream` (a narrow subclass overriding only that
  method) keeps the number, and :class:`CodeAwareChannel` makes its streams use it.

This module is the only place that touches grpclib internals; test_rpc_compat.py fails
if a grpclib upgrade changes them.
"""

from __future__ import annotations

from typing import Any, cast

from grpclib.client import Channel, Stream
from grpclib.const import Status
from grpclib.exceptions import GRPCError
from grpclib.metadata import decode_grpc_message

_STANDARD = frozenset(s.value for s in Status)


class CustomStatus(int):
    """A non-standard status number (e.g. 100001) usable wherever grpclib wants a Status."""

    @property
    def value(self) -> int:
        return int(self)

    @property
    def name(self) -> str:
        return f"CODE_{int(self)}"

    def __repr__(self) -> str:
        return f"CustomStatus({int(self)})"


def status_of(code: int) -> Status | CustomStatus:
    """The grpclib ``Status`` member for a standard code, else a :class:`CustomStatus`."""
    return Status(code) if code in _STANDARD else CustomStatus(code)


def grpc_error(code: int, message: str | None = None) -> GRPCError:
    """A ``GRPCError`` carrying any numeric code, business codes included.

    grpclib annotates the status as ``Status``; a :class:`CustomStatus` stands in for
    one at run time (see the module docstring), which its annotation cannot express.
    """
    return GRPCError(cast(Status, status_of(code)), message)


def status_code(status: Any) -> int:
    """The integer on the wire for a grpclib ``Status`` or :class:`CustomStatus`."""
    return int(getattr(status, "value", status))


class CodeAwareStream(Stream[Any, Any]):
    """Client stream that reads any numeric ``grpc-status`` with its ``grpc-message``."""

    def _process_grpc_status(self, headers_map: dict[str, str]) -> tuple[Any, str | None, Any]:
        raw = headers_map.get("grpc-status")
        if raw is not None and raw.isdigit() and int(raw) not in _STANDARD:
            message = headers_map.get("grpc-message")
            return CustomStatus(int(raw)), (
                decode_grpc_message(message) if message is not None else None
            ), None
        return super()._process_grpc_status(headers_map)


class CodeAwareChannel(Channel):
    """grpclib Channel whose streams understand custom status codes.

    ``request`` delegates to grpclib (deadline/metadata handling stays theirs) and only
    swaps the class of the returned stream; CodeAwareStream adds no state, so the swap
    is safe.
    """

    def request(self, *args: Any, **kwargs: Any) -> Stream[Any, Any]:
        stream = super().request(*args, **kwargs)
        stream.__class__ = CodeAwareStream
        return stream

"""What callers of an RPC see when it fails: CodeError for business codes, else RpcError.

errors.md §3.2: a gRPC status whose code is in ``ALLOWED_CODES`` passes its code and
message through to HTTP clients; any other status (UNAVAILABLE, DEADLINE_EXCEEDED,
UNKNOWN...) is hidden behind the generic full-width-comma text.
"""

from __future__ import annotations

from grpclib.const import Status
from grpclib.exceptions import GRPCError

from looklook.errors import ALLOWED_CODES, GENERIC_MSG_FULLWIDTH, SERVER_COMMON_ERROR, CodeError

from .status import status_code


class RpcError(Exception):
    """An RPC failed with a non-business status (transport, deadline, UNKNOWN...)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message

    @property
    def status_name(self) -> str:
        """Standard status name (``UNAVAILABLE``) or ``CODE_<n>`` for other numbers."""
        try:
            return Status(self.status).name
        except ValueError:
            return f"CODE_{self.status}"

    def __str__(self) -> str:
        return f"rpc error: code = {self.status_name} desc = {self.message}"


def from_grpc_error(err: GRPCError) -> CodeError | RpcError:
    """Translate a grpclib error into what our callers handle."""
    code = status_code(err.status)
    message = err.message or ""
    if code in ALLOWED_CODES:
        return CodeError(code, message)
    return RpcError(code, message)


def http_error_mapper(exc: BaseException) -> CodeError | None:
    """HTTP envelope for an RPC failure that reached an API handler unhandled.

    Registered with ``looklook.web``: RpcError becomes the generic 100001 text
    (CodeError from an RPC already carries its own code and message).
    """
    if isinstance(exc, RpcError):
        return CodeError(SERVER_COMMON_ERROR, GENERIC_MSG_FULLWIDTH)
    return None

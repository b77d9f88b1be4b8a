"""Translating exceptions raised by handlers into business errors.

Other layers register mappers: the rpc layer turns gRPC statuses with allow-listed
codes into their CodeError and other statuses into the full-width generic text.
"""

from __future__ import annotations

from collections.abc import Callable

from looklook.errors import CodeError

__all__ = ["ErrorMapper", "map_exception", "register_error_mapper"]

ErrorMapper = Callable[[BaseException], CodeError | None]

_mappers: list[ErrorMapper] = []


def register_error_mapper(fn: ErrorMapper) -> ErrorMapper:
    """Add ``fn`` (usable as a decorator); registering the same function twice is a no-op."""
    if fn not in _mappers:
        _mappers.append(fn)
    return fn


def map_exception(exc: BaseException) -> CodeError | None:
    """The CodeError to show for ``exc``, or None when it is an unexpected failure."""
    if isinstance(exc, CodeError):
        return exc
    for mapper in _mappers:
        mapped = mapper(exc)
        if mapped is not None:
            return mapped
    return None

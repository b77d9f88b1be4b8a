"""Per-request deadlines that downstream calls (RPC clients, SQL) can read.

The HTTP/RPC servers open a ``Timeout`` per request; clients call
``remaining_s()`` to cap their own timeouts so a request never outlives its budget.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from types import TracebackType

from looklook.resilience.window import Clock

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "looklook_deadline", default=None
)


def remaining_s(default: float | None = None, *, clock: Clock = time.monotonic) -> float | None:
    """Seconds left of the current request's deadline (min with ``default``), or
    ``default`` outside a deadline. Never negative."""
    deadline = _deadline.get()
    if deadline is None:
        return default
    left = max(0.0, deadline - clock())
    return left if default is None else min(left, default)


class Timeout:
    """``async with Timeout(ms):`` cancels the block after ``ms`` milliseconds (0 = none)
    and raises TimeoutError; nested timeouts keep the tighter deadline."""

    def __init__(self, timeout_ms: int, *, clock: Clock = time.monotonic) -> None:
        self.timeout_ms = timeout_ms
        self._clock = clock
        self._cm: asyncio.Timeout | None = None
        self._token: contextvars.Token[float | None] | None = None

    async def __aenter__(self) -> Timeout:
        if self.timeout_ms > 0:
            own = self._clock() + self.timeout_ms / 1000
            outer = _deadline.get()
            deadline = own if outer is None else min(own, outer)
            self._token = _deadline.set(deadline)
            loop = asyncio.get_running_loop()
            self._cm = asyncio.timeout_at(loop.time() + (deadline - self._clock()))
            await self._cm.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        try:
            if self._cm is not None:
                await self._cm.__aexit__(exc_type, exc, tb)  # raises TimeoutError on expiry
            return None
        finally:
            if self._token is not None:
                _deadline.reset(self._token)

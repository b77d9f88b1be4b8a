"""Adaptive client-side throttling (Google SRE book, as go-zero's ``googleBreaker``).

Requests and accepts are counted over a rolling window; a call is rejected with
probability ``max(0, (requests - protection - K*accepts) / (requests + 1))``. With
healthy backends accepts ≈ requests and nothing is dropped; as failures grow the
breaker sheds an increasing share locally instead of hammering the backend.
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from looklook.resilience.window import Clock, RollingWindow


class BreakerOpenError(Exception):
    """The breaker rejected the call without trying it (go-zero ``ErrServiceUnavailable``)."""


@dataclass(slots=True)
class _Promise:
    breaker: Breaker
    done: bool = False

    def accept(self) -> None:
        """The call succeeded (or failed in a way that is the caller's fault)."""
        if not self.done:
            self.done = True
            self.breaker._mark(True)

    def reject(self) -> None:
        """The call failed in a way that indicates an unhealthy backend."""
        if not self.done:
            self.done = True
            self.breaker._mark(False)


class Breaker:
    """``allow()`` returns a promise to settle with ``accept()`` / ``reject()``."""

    def __init__(
        self,
        name: str = "",
        *,
        k: float = 1.5,
        protection: int = 5,
        window_s: float = 10.0,
        buckets: int = 40,
        clock: Clock = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.name = name
        self.k = k
        self.protection = protection
        self._window = RollingWindow(buckets, window_s / buckets, clock=clock)
        self._rand = rand

    def history(self) -> tuple[int, int]:
        """``(accepts, requests)`` inside the window."""
        accepts = 0.0
        total = 0
        for b in self._window.buckets():
            accepts += b.sum
            total += b.count
        return int(accepts), total

    def drop_ratio(self) -> float:
        accepts, total = self.history()
        return max(0.0, (total - self.protection - self.k * accepts) / (total + 1))

    def allow(self) -> _Promise:
        """Admit a call or raise BreakerOpenError; a rejected call counts as a failed request."""
        ratio = self.drop_ratio()
        if ratio > 0 and self._rand() < ratio:
            self._mark(False)
            raise BreakerOpenError(self.name or "breaker")
        return _Promise(self)

    def _mark(self, ok: bool) -> None:
        self._window.add(1.0 if ok else 0.0)

    async def call[T](
        self,
        fn: Callable[[], Awaitable[T]],
        acceptable: Callable[[BaseException], bool] = lambda exc: False,
    ) -> T:
        """Run ``fn`` through the breaker; exceptions for which ``acceptable`` is true
        (e.g. business errors) do not count as backend failures."""
        promise = self.allow()
        try:
            result = await fn()
        except BaseException as exc:
            if isinstance(exc, Exception) and acceptable(exc):
                promise.accept()
            else:
                promise.reject()
            raise
        promise.accept()
        return result

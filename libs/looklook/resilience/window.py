"""Rolling window of time buckets, shared by the breaker and the load shedder.

Like go-zero's ``collection.RollingWindow``: a fixed number of buckets, each covering
``interval`` seconds; buckets that fell out of the window are reset lazily. The clock is
injected so tests are deterministic.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(slots=True)
class Bucket:
    sum: float = 0.0
    count: int = 0

    def reset(self) -> None:
        self.sum = 0.0
        self.count = 0


class RollingWindow:
    """``size`` buckets of ``interval`` seconds each."""

    def __init__(self, size: int, interval: float, *, clock: Clock = time.monotonic) -> None:
        if size < 1 or interval <= 0:
            raise ValueError("size must be >= 1 and interval > 0")
        self.size = size
        self.interval = interval
        self._clock = clock
        self._buckets = [Bucket() for _ in range(size)]
        self._last = self._slot(clock())  # absolute index of the newest bucket

    def _slot(self, now: float) -> int:
        return int(now // self.interval)

    def _advance(self) -> int:
        now_slot = self._slot(self._clock())
        gap = now_slot - self._last
        if gap > 0:
            for i in range(1, min(gap, self.size) + 1):
                self._buckets[(self._last + i) % self.size].reset()
            self._last = now_slot
        return now_slot

    def add(self, value: float) -> None:
        """Add ``value`` to the current bucket."""
        b = self._buckets[self._advance() % self.size]
        b.sum += value
        b.count += 1

    def buckets(self, *, ignore_current: bool = False) -> Iterator[Bucket]:
        """Buckets inside the window, oldest first."""
        newest = self._advance()
        start = newest - self.size + 1
        end = newest - 1 if ignore_current else newest
        for slot in range(start, end + 1):
            yield self._buckets[slot % self.size]

"""Adaptive load shedding (go-zero ``load.adaptiveShedder``).

A request is dropped only when the CPU is hot (usage >= threshold, or a drop happened
within the last second) *and* more requests are in flight than the service has shown
it can complete: ``max_pass_per_bucket * min_rt_ms * buckets_per_ms``, scaled down as
the CPU approaches 100 %.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from looklook.resilience.window import Clock, RollingWindow

_FLYING_BETA = 0.9
_COOL_OFF_S = 1.0
_DEFAULT_MIN_RT_MS = 1000.0
_MAX_CPU = 1000.0
_LOWER_FACTOR = 0.1


class OverloadedError(Exception):
    """The shedder dropped the request (go-zero ``ErrServiceOverloaded``)."""


@dataclass(slots=True)
class _Promise:
    shedder: LoadShedder
    start: float
    done: bool = False

    def pass_(self) -> None:
        """The request completed; its latency feeds the capacity estimate."""
        if not self.done:
            self.done = True
            self.shedder._finish(self.start, passed=True)

    def fail(self) -> None:
        """The request failed; only the in-flight count is released."""
        if not self.done:
            self.done = True
            self.shedder._finish(self.start, passed=False)


class LoadShedder:
    """``allow()`` returns a promise to settle with ``pass_()`` or ``fail()``."""

    def __init__(
        self,
        cpu_threshold: int = 900,
        *,
        cpu_usage: Callable[[], int],
        window_s: float = 5.0,
        buckets: int = 50,
        clock: Clock = time.monotonic,
    ) -> None:
        self.cpu_threshold = cpu_threshold
        self._cpu_usage = cpu_usage
        self._clock = clock
        interval = window_s / buckets
        self._window_scale = 1.0 / interval / 1000.0  # buckets per millisecond
        self._pass = RollingWindow(buckets, interval, clock=clock)
        self._rt = RollingWindow(buckets, interval, clock=clock)
        self.flying = 0
        self.avg_flying = 0.0
        self._drop_time: float | None = None

    def _max_pass(self) -> float:
        return max((b.sum for b in self._pass.buckets(ignore_current=True)), default=0.0) or 1.0

    def _min_rt(self) -> float:
        rts = [b.sum / b.count for b in self._rt.buckets(ignore_current=True) if b.count]
        return math.ceil(min(rts)) if rts else _DEFAULT_MIN_RT_MS

    def max_flight(self) -> float:
        return max(self._max_pass() * self._min_rt() * self._window_scale, 1.0)

    def _overload_factor(self) -> float:
        factor = (_MAX_CPU - self._cpu_usage()) / (_MAX_CPU - self.cpu_threshold)
        return min(max(factor, _LOWER_FACTOR), 1.0)

    def _hot(self) -> bool:
        if self._cpu_usage() >= self.cpu_threshold:
            return True
        return self._drop_time is not None and self._clock() - self._drop_time < _COOL_OFF_S

    def should_drop(self) -> bool:
        if not self._hot():
            return False
        limit = self.max_flight() * self._overload_factor()
        return self.avg_flying > limit and self.flying > int(limit)

    def allow(self) -> _Promise:
        if self.cpu_threshold > 0 and self.should_drop():
            self._drop_time = self._clock()
            raise OverloadedError("service overloaded")
        self.flying += 1
        return _Promise(self, self._clock())

    def _finish(self, start: float, *, passed: bool) -> None:
        self.flying -= 1
        self.avg_flying = self.avg_flying * _FLYING_BETA + self.flying * (1 - _FLYING_BETA)
        if passed:
            rt_ms = math.ceil((self._clock() - start) * 1000)
            self._rt.add(rt_ms)
            self._pass.add(1)

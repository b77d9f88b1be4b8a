"""Process CPU usage in per mille of the CPUs this process may use.

go-zero sheds load on container CPU usage; we approximate it without psutil by sampling
``time.process_time()`` against wall time, scaled by the cgroup CPU quota (or the CPU
affinity count), smoothed with the same moving average (beta 0.95, every 250 ms).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path


def cpu_capacity() -> float:
    """Number of CPUs available: cgroup v2 ``cpu.max`` quota if set, else affinity."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            return max(float(quota) / float(period), 0.01)
    except (OSError, ValueError):
        pass
    try:
        return float(len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return float(os.cpu_count() or 1)


class CpuSampler:
    """Keeps ``usage`` (0..1000) up to date while ``run()`` is running."""

    def __init__(
        self,
        *,
        interval_s: float = 0.25,
        beta: float = 0.95,
        cpu_time: Callable[[], float] = time.process_time,
        wall_time: Callable[[], float] = time.monotonic,
        capacity: float | None = None,
    ) -> None:
        self.interval_s = interval_s
        self.beta = beta
        self._cpu_time = cpu_time
        self._wall_time = wall_time
        self._capacity = capacity if capacity is not None else cpu_capacity()
        self._last_cpu = cpu_time()
        self._last_wall = wall_time()
        self._usage = 0.0
        self._task: asyncio.Task[None] | None = None

    @property
    def usage(self) -> int:
        return int(self._usage)

    def sample(self) -> int:
        """Take one sample and fold it into the moving average."""
        cpu, wall = self._cpu_time(), self._wall_time()
        dcpu, dwall = cpu - self._last_cpu, wall - self._last_wall
        self._last_cpu, self._last_wall = cpu, wall
        if dwall > 0:
            current = min(1000.0, max(0.0, dcpu / (dwall * self._capacity) * 1000))
            self._usage = self._usage * self.beta + current * (1 - self.beta)
        return self.usage

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            self.sample()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

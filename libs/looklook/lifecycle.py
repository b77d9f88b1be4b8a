"""Running a process: signals, a shutdown event, grace period, ordered cleanup.

``run_process(main)`` owns the event loop. ``main`` receives a ``Lifecycle`` (or nothing,
if it takes no argument): it registers cleanups on ``lc.stack`` (an AsyncExitStack, so
resources close in reverse order) and either returns when its work is done or waits on
``lc.shutdown``. On SIGTERM/SIGINT the event is set; ``main`` then has ``grace_s`` seconds
to finish before it is cancelled. ``main`` may also be an async generator: set-up before
its single ``yield``, teardown after, and the process runs until a signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

__all__ = ["Lifecycle", "run_process", "serve"]

log = logging.getLogger("looklook.lifecycle")

Main = Callable[..., Awaitable[None] | AsyncIterator[None]]


class Lifecycle:
    """Shared by one process: the shutdown event and the cleanup stack."""

    def __init__(self, grace_s: float = 10.0) -> None:
        self.grace_s = grace_s
        self.shutdown = asyncio.Event()
        self.stack = AsyncExitStack()

    def request_shutdown(self) -> None:
        self.shutdown.set()

    async def wait(self) -> None:
        await self.shutdown.wait()

    async def enter[T](self, cm: contextlib.AbstractAsyncContextManager[T]) -> T:
        """Enter ``cm`` now, exit it at shutdown (after everything entered later)."""
        return await self.stack.enter_async_context(cm)

    def on_close(self, fn: Callable[[], Awaitable[Any]]) -> None:
        """Call ``fn()`` at shutdown, in reverse registration order."""
        self.stack.push_async_callback(fn)


def _call(main: Main, lc: Lifecycle) -> Any:
    try:
        wants_arg = len(inspect.signature(main).parameters) > 0
    except (TypeError, ValueError):
        wants_arg = True
    return main(lc) if wants_arg else main()


async def _drive(main: Main, lc: Lifecycle) -> None:
    result = _call(main, lc)
    if inspect.isasyncgen(result):
        await anext(result)
        await lc.wait()
        with contextlib.suppress(StopAsyncIteration):
            await anext(result)
        return
    await result


async def serve(main: Main, lc: Lifecycle) -> None:
    """Run ``main`` under ``lc``: stop on the shutdown event after the grace period,
    then close ``lc.stack``. Usable without signals (tests set ``lc.shutdown``)."""
    task = asyncio.create_task(_drive(main, lc), name="main")
    stopper = asyncio.create_task(lc.wait(), name="shutdown")
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            log.info("shutdown requested, grace period %.1fs", lc.grace_s)
            done, _ = await asyncio.wait({task}, timeout=lc.grace_s)
            if not done:
                log.warning("grace period over, cancelling main")
                task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    finally:
        stopper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await stopper
        await lc.stack.aclose()


async def _with_signals(main: Main, grace_s: float) -> None:
    lc = Lifecycle(grace_s)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lc.request_shutdown)
    try:
        await serve(main, lc)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


def run_process(main: Main, *, grace_s: float = 10.0) -> int:
    """Run ``main`` until done or signalled; returns the exit status (0 ok, 1 error)."""
    try:
        asyncio.run(_with_signals(main, grace_s))
    except Exception:
        log.exception("process failed")
        return 1
    return 0

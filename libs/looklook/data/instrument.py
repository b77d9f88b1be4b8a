"""Store-client metrics: the ``sql_client_*`` and ``redis_client_*`` families.

The families themselves are defined once in :mod:`looklook.metrics`; this module only
knows how one data-layer call is recorded (duration in ms, error count labelled with
the error's type, slow count) so db.py and cache.py stay free of metric plumbing.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from looklook import metrics

__all__ = ["observe_redis", "observe_sql"]


def _observe(
    duration: Histogram,
    errors: Counter,
    slow: Counter,
    command: str,
    seconds: float,
    error: BaseException | None,
) -> None:
    ms = seconds * 1000
    duration.labels(command=command).observe(ms)
    if error is not None:
        errors.labels(command=command, error=type(error).__name__).inc()
    if ms > metrics.SLOW_THRESHOLD_MS:
        slow.labels(command=command).inc()


def observe_sql(command: str, seconds: float, error: BaseException | None = None) -> None:
    """Record one SQL call (``query``, ``exec``, ``connect``...)."""
    _observe(
        metrics.SQL_CLIENT_DURATION,
        metrics.SQL_CLIENT_ERROR,
        metrics.SQL_CLIENT_SLOW,
        command,
        seconds,
        error,
    )


def observe_redis(command: str, seconds: float, error: BaseException | None = None) -> None:
    """Record one Redis command (``get``, ``setex``, ``del``...)."""
    _observe(
        metrics.REDIS_CLIENT_DURATION,
        metrics.REDIS_CLIENT_ERROR,
        metrics.REDIS_CLIENT_SLOW,
        command,
        seconds,
        error,
    )

"""Prometheus metrics of the operator (served on the ops port with the default registry)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from prometheus_client import Counter, Gauge, Histogram

RECONCILES: Final = Counter(
    "looklook_operator_reconcile",  # exposed as looklook_operator_reconcile_total
    "Reconciles by resource kind, trigger (apply, timer, delete) and result.",
    ["kind", "trigger", "result"],
)
RECONCILE_SECONDS: Final = Histogram(
    "looklook_operator_reconcile_duration_seconds",
    "Time one reconcile took, broker/Redis calls included.",
    ["kind", "trigger"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
READY: Final = Gauge(
    "looklook_operator_resource_ready",
    "1 when the resource's Ready condition is True, else 0.",
    ["kind", "namespace", "name"],
)


@contextmanager
def observe(kind: str, trigger: str) -> Iterator[dict[str, str]]:
    """Time a reconcile; the body sets ``result`` in the yielded dict (default ``ok``,
    ``error`` when it raises)."""
    outcome = {"result": "ok"}
    start = time.perf_counter()
    try:
        yield outcome
    except BaseException:
        if outcome["result"] == "ok":
            outcome["result"] = "error"
        raise
    finally:
        RECONCILE_SECONDS.labels(kind, trigger).observe(time.perf_counter() - start)
        RECONCILES.labels(kind, trigger, outcome["result"]).inc()

"""Task labels the scheduler, the operator and the worker agree on (docs/operator.md)."""

from __future__ import annotations

from typing import Any, Final

CONCURRENCY_POLICY: Final = "concurrency_policy"
STARTING_DEADLINE: Final = "starting_deadline_seconds"
#: Unix second of the cron minute a run was sent for (looklook.jobs.policy.StampingScheduler).
SCHEDULED_AT: Final = "scheduled_at"
#: taskiq's SmartRetryMiddleware counts attempts here.
RETRIES: Final = "_retries"


def number(value: Any) -> float | None:
    """Labels may arrive as numbers or strings; anything else means "not set"."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def is_cron_run(labels: dict[str, Any]) -> bool:
    """A first attempt sent for a cron tick (not a delay, a plain enqueue or a retry)."""
    return SCHEDULED_AT in labels and not int(number(labels.get(RETRIES)) or 0)

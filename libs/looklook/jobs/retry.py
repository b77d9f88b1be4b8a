"""asynq's retry behaviour for taskiq: 25 retries, ``n**4 + 15 + rand(0..29)*(n+1)`` s.

Upstream's worker (asynq v0.20 defaults, messaging-and-jobs.md §2.4) retries every failed
task up to 25 times with that delay after the n-th failure, then archives it. The delay
is stored as a time schedule in the Redis schedule source (not an in-process sleep), so a
pending retry survives worker and scheduler restarts, like asynq's ``retry`` ZSET.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from taskiq import ScheduleSource, TaskiqMessage
from taskiq.middlewares import SmartRetryMiddleware

#: asynq's default MaxRetry.
ASYNQ_MAX_RETRY: Final = 25


def asynq_delay_s(failures: int, scale: float = 1.0, rng: random.Random | None = None) -> float:
    """asynq's DefaultRetryDelayFunc after ``failures`` failures, times ``scale``."""
    jitter = (rng or random).randint(0, 29)
    return scale * (failures**4 + 15 + jitter * (failures + 1))


@dataclass(frozen=True)
class RetryPolicy:
    """How failed tasks are retried.

    ``max_retry`` counts retries after the first attempt (asynq semantics), so a task runs
    at most ``max_retry + 1`` times. ``delay_scale`` multiplies asynq's delay formula;
    1.0 in production, tiny in tests so a retry happens within a second.
    """

    max_retry: int = ASYNQ_MAX_RETRY
    delay_scale: float = 1.0


class AsynqRetryMiddleware(SmartRetryMiddleware):
    """SmartRetryMiddleware with asynq's delay formula; on for every task by default."""

    def __init__(self, schedule_source: ScheduleSource, policy: RetryPolicy) -> None:
        super().__init__(
            # SmartRetry retries while attempt number < count, hence the +1.
            default_retry_count=policy.max_retry + 1,
            default_retry_label=True,
            schedule_source=schedule_source,
        )
        self.policy = policy

    def make_delay(self, message: TaskiqMessage, retries: int) -> float:
        """Delay before retry number ``retries`` (1-based, i.e. after that many failures)."""
        return asynq_delay_s(retries, self.policy.delay_scale)

"""Errors a retry cannot fix: the worker logs one WARNING and finishes the task.

asynq (and our retry middleware) retries every failure 25 times with a full traceback
each time; for a buyer who never logged in with WeChat, or an order row that cannot be
rendered, that is 26 identical tracebacks and no chance of success.
"""

from __future__ import annotations

__all__ = ["PermanentJobError"]


class PermanentJobError(Exception):
    """Raise from job logic when the same input will fail the same way every time."""

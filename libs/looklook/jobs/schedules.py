"""Cron schedules in the shared schedule source: what the operator's ScheduledJob writes.

A running scheduler re-reads the source every ``update_interval`` (mqueue scheduler
config), so an upserted or removed schedule takes effect without a restart.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from taskiq import ScheduledTask, ScheduleSource
from taskiq.cli.scheduler.run import CronValueError, is_cron_task_now

from looklook.jobs.client import payload_dict


class InvalidScheduleError(ValueError):
    """The cron expression or time zone cannot be used; nothing was written."""


#: Allowed numeric range of each of the five cron fields (minute … weekday; 7 = Sunday).
_FIELD_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_FIELD_RE = re.compile(r"^(\*|\d+(-\d+)?|[a-z]{3}(-[a-z]{3})?)(/\d+)?$")


def _check_field(field: str, low: int, high: int) -> None:
    """pycron accepts out-of-range numbers silently (never firing); reject them here."""
    for part in field.lower().split(","):
        if not _FIELD_RE.match(part):
            raise InvalidScheduleError(f"bad cron field {field!r}")
        for number in re.findall(r"\d+", part.split("/")[0]):
            if not low <= int(number) <= high:
                raise InvalidScheduleError(f"cron value {number} outside {low}-{high}")
        if "/" in part and int(part.split("/")[1]) == 0:
            raise InvalidScheduleError(f"cron step 0 in {field!r}")


def validate_cron(cron: str, tz: str) -> None:
    """Raise InvalidScheduleError unless ``cron`` (5 fields) and ``tz`` (IANA) are usable."""
    fields = cron.split()
    if len(fields) != 5:
        raise InvalidScheduleError(f"cron must have 5 fields: {cron!r}")
    for field, (low, high) in zip(fields, _FIELD_RANGES, strict=True):
        _check_field(field, low, high)
    try:
        # The very check the scheduler loop runs, so what passes here will fire there.
        is_cron_task_now(cron, datetime.now(UTC), offset=tz)
    except (CronValueError, ValueError, IndexError, KeyError) as exc:
        raise InvalidScheduleError(f"invalid cron {cron!r} or time zone {tz!r}: {exc}") from exc


async def upsert_cron(
    source: ScheduleSource,
    schedule_id: str,
    task_name: str,
    cron: str,
    tz: str = "Asia/Shanghai",
    payload: BaseModel | dict[str, Any] | None = None,
    labels: dict[str, Any] | None = None,
) -> ScheduledTask:
    """Create or replace the cron schedule ``schedule_id`` (idempotent).

    The task receives ``payload`` (Go key spelling for pydantic payloads) as its single
    argument; ``labels`` travel with every run (the operator passes the ScheduledJob's
    concurrency and deadline policy this way). Replacing is delete-then-add, so a
    scheduler reading in between may miss at most that one refresh, never run a
    schedule twice.
    """
    validate_cron(cron, tz)
    schedule = ScheduledTask(
        schedule_id=schedule_id,
        task_name=task_name,
        labels=dict(labels or {}),
        args=[payload_dict(payload)],
        kwargs={},
        cron=cron,
        cron_offset=tz,
    )
    await source.delete_schedule(schedule_id)
    await source.add_schedule(schedule)
    return schedule


async def remove_schedule(source: ScheduleSource, schedule_id: str) -> None:
    """Delete schedule ``schedule_id``; a missing id is not an error (idempotent)."""
    await source.delete_schedule(schedule_id)


async def list_schedules(source: ScheduleSource) -> list[ScheduledTask]:
    """Cron schedules plus one-shot schedules due in the current minute or overdue."""
    return await source.get_schedules()

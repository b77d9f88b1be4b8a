"""ScheduledJob reconciliation: one resource = one cron entry in the taskiq schedule source.

The mqueue scheduler re-reads that source on its update interval, so registering,
changing or removing an entry here takes effect without restarting it. Writes go through
``looklook.jobs`` (the same functions and key layout every process uses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, croniter
from looklook.jobs import InvalidScheduleError, remove_schedule, upsert_cron, validate_cron
from looklook.jobs.lastrun import LASTRUN_KEY
from redis.asyncio import Redis
from taskiq import ScheduledTask, ScheduleSource

from looklook_operator.conditions import Condition, rfc3339

Trigger = Literal["apply", "timer"]


def schedule_id(namespace: str, name: str) -> str:
    """Deterministic id, so an update replaces the entry instead of adding a second one."""
    return f"k8s:{namespace}:{name}"


@dataclass(frozen=True)
class JobSpec:
    """The desired schedule, with the CRD's defaults applied."""

    schedule: str
    time_zone: str
    task: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    suspend: bool = False
    concurrency_policy: str = "Allow"
    starting_deadline_seconds: int | None = None

    @classmethod
    def from_resource(cls, spec: Mapping[str, Any]) -> JobSpec:
        payload = spec.get("payload") or {}
        if not isinstance(payload, Mapping):
            raise InvalidScheduleError("spec.payload must be a JSON object")
        return cls(
            schedule=" ".join(str(spec.get("schedule", "")).split()),
            time_zone=spec.get("timeZone") or "Asia/Shanghai",
            task=str(spec.get("task", "")),
            payload=dict(payload),
            suspend=bool(spec.get("suspend", False)),
            concurrency_policy=spec.get("concurrencyPolicy") or "Allow",
            starting_deadline_seconds=spec.get("startingDeadlineSeconds"),
        )

    def labels(self) -> dict[str, Any]:
        """Policy the worker side honours per run (docs/operator.md, "Labels")."""
        out: dict[str, Any] = {"concurrency_policy": self.concurrency_policy}
        if self.starting_deadline_seconds is not None:
            out["starting_deadline_seconds"] = self.starting_deadline_seconds
        return out

    def validate(self) -> None:
        """InvalidScheduleError unless the scheduler will accept and fire this entry."""
        if not self.task:
            raise InvalidScheduleError("spec.task is empty")
        validate_cron(self.schedule, self.time_zone)


def next_run(cron: str, tz: str, now: datetime | None = None) -> datetime | None:
    """The next firing time (UTC), read in ``tz`` as the scheduler does; None if never."""
    local_now = (now or datetime.now(UTC)).astimezone(ZoneInfo(tz))
    try:
        return croniter(cron, local_now).get_next(datetime).astimezone(UTC)
    except CroniterBadDateError:
        return None


@dataclass
class ScheduleOutcome:
    """What one reconcile did; ``status()`` is the patch body minus conditions."""

    schedule_id: str
    registered: bool
    ready: Condition
    next_run: datetime | None = None
    last_run: datetime | None = None

    def status(self) -> dict[str, Any]:
        return {
            "scheduleId": self.schedule_id,
            "registered": self.registered,
            "nextRun": rfc3339(self.next_run) if self.next_run else None,
            "lastRun": rfc3339(self.last_run) if self.last_run else None,
        }


class ScheduleStore:
    """The schedule source plus the last-run hash, as the reconciler needs them."""

    def __init__(self, source: ScheduleSource, redis: Redis, lastrun_key: str = LASTRUN_KEY):
        self.source = source
        self.redis = redis
        self.lastrun_key = lastrun_key

    async def current(self, sid: str) -> ScheduledTask | None:
        """The entry registered under ``sid``, if any."""
        return next((t for t in await self.source.get_schedules() if t.schedule_id == sid), None)

    async def last_run(self, sid: str) -> datetime | None:
        raw = await self.redis.hget(self.lastrun_key, sid)
        if raw is None:
            return None
        try:
            return datetime.fromtimestamp(int(float(raw)), UTC)
        except ValueError:
            return None

    async def forget(self, sid: str) -> None:
        """Drop the entry and its last-run record (resource deleted)."""
        await remove_schedule(self.source, sid)
        await self.redis.hdel(self.lastrun_key, sid)


def _matches(task: ScheduledTask, spec: JobSpec) -> bool:
    return (
        task.task_name == spec.task
        and task.cron == spec.schedule
        and task.cron_offset == spec.time_zone
        and task.args == [dict(spec.payload)]
        and task.labels == spec.labels()
    )


async def reconcile_schedule(
    store: ScheduleStore, sid: str, spec: JobSpec, trigger: Trigger = "apply"
) -> ScheduleOutcome:
    """Register, replace or remove the entry so the source matches ``spec``.

    An invalid schedule removes any older entry (a stale schedule must not keep running
    under a resource that now says something else) and is reported, not raised. Redis
    errors propagate so the handler can retry with backoff.
    """
    last = await store.last_run(sid)
    try:
        spec.validate()
    except InvalidScheduleError as exc:
        await remove_schedule(store.source, sid)
        return ScheduleOutcome(
            sid, False, Condition("Ready", "False", "InvalidSchedule", str(exc)), last_run=last
        )
    if spec.suspend:
        await remove_schedule(store.source, sid)
        ready = Condition("Ready", "True", "Suspended", "suspended: not in the schedule source")
        return ScheduleOutcome(sid, False, ready, last_run=last)

    current = await store.current(sid)
    if current is not None and _matches(current, spec):
        ready = Condition("Ready", "True", "Registered", f"{spec.task} on {spec.schedule!r}")
    else:
        await upsert_cron(
            store.source,
            sid,
            spec.task,
            spec.schedule,
            spec.time_zone,
            dict(spec.payload),
            labels=spec.labels(),
        )
        if trigger == "timer":
            what = "re-registered missing entry" if current is None else "repaired drifted entry"
            ready = Condition("Ready", "True", "DriftRepaired", what)
        else:
            ready = Condition("Ready", "True", "Registered", f"{spec.task} on {spec.schedule!r}")
    upcoming = next_run(spec.schedule, spec.time_zone)
    if upcoming is None:
        ready = Condition("Ready", "False", "NeverFires", f"{spec.schedule!r} matches no date")
    return ScheduleOutcome(sid, True, ready, next_run=upcoming, last_run=last)

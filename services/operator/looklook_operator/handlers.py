"""kopf handlers for KafkaTopic and ScheduledJob, and their registration.

Handlers are plain coroutines taking kopf's keyword arguments, so tests call them with
``kopf.Body`` / ``kopf.Patch`` / ``kopf.Memo`` directly. ``register`` attaches them to a
registry with the intervals from the settings. Shared clients travel in ``memo``:
``memo.topics`` (TopicAdmin), ``memo.schedules`` (ScheduleStore), ``memo.reconcile``
(ReconcileConf).
"""

from __future__ import annotations

import logging
from typing import Any

import kopf
from looklook.jobs import InvalidScheduleError
from redis.exceptions import RedisError

from looklook_operator.conditions import Condition
from looklook_operator.config import ReconcileConf
from looklook_operator.kafka_admin import BrokerError, BrokerUnavailable
from looklook_operator.metrics import READY, observe
from looklook_operator.schedules import JobSpec, reconcile_schedule, schedule_id
from looklook_operator.status import is_ready, write_status
from looklook_operator.topics import InvalidTopicSpec, TopicSpec, reconcile_topic

GROUP = "looklook.dev"
VERSION = "v1alpha1"
TOPICS = "kafkatopics"
JOBS = "scheduledjobs"


def backoff(memo: Any, retry: int) -> float:
    """Exponential retry delay: backoff_s, 2x, 4x ... capped at backoff_max_s."""
    conf: ReconcileConf = memo.reconcile
    return float(min(conf.backoff_s * 2 ** max(retry, 0), conf.backoff_max_s))


def _unavailable(
    patch: kopf.Patch, body: kopf.Body, memo: Any, retry: int, reason: str, exc: Exception
) -> kopf.TemporaryError:
    """Record Ready=Unknown and build the TemporaryError that makes kopf retry later."""
    delay = backoff(memo, retry)
    write_status(patch, body, {}, [Condition("Ready", "Unknown", reason, str(exc))])
    return kopf.TemporaryError(f"{exc} (retry in {delay:.0f}s)", delay=delay)


def _gauge(kind: str, patch: kopf.Patch, body: kopf.Body) -> None:
    READY.labels(kind, body.meta.namespace or "", body.meta.name or "").set(
        1 if is_ready(patch, body) else 0
    )


# --- KafkaTopic --------------------------------------------------------------------------


async def _topic(body: kopf.Body, patch: kopf.Patch, memo: Any, retry: int, trigger: str) -> None:
    with observe("KafkaTopic", trigger) as seen:
        try:
            spec = TopicSpec.from_resource(body.spec, body.meta.name or "")
        except InvalidTopicSpec as exc:
            seen["result"] = "invalid"
            write_status(patch, body, {}, [Condition("Ready", "False", "InvalidSpec", str(exc))])
            _gauge("KafkaTopic", patch, body)
            raise kopf.PermanentError(str(exc)) from exc
        try:
            outcome = await reconcile_topic(memo.topics, spec, trigger)  # type: ignore[arg-type]
        except BrokerUnavailable as exc:
            seen["result"] = "retry"
            raise _unavailable(patch, body, memo, retry, "BrokerUnavailable", exc) from exc
        if outcome.problems:
            seen["result"] = "problem"
        write_status(patch, body, outcome.status(), [outcome.ready])
        _gauge("KafkaTopic", patch, body)


async def topic_apply(
    body: kopf.Body, patch: kopf.Patch, memo: Any, retry: int = 0, **_: Any
) -> None:
    """Create / resume / update: make the topic match the spec."""
    await _topic(body, patch, memo, retry, "apply")


async def topic_check(
    body: kopf.Body, patch: kopf.Patch, memo: Any, retry: int = 0, **_: Any
) -> None:
    """Timer: re-read the real topic and repair drift (missing, too few partitions,
    config changed behind our back)."""
    if body.meta.deletion_timestamp:
        return
    await _topic(body, patch, memo, retry, "timer")


async def topic_delete(
    body: kopf.Body,
    memo: Any,
    logger: logging.Logger | logging.LoggerAdapter[Any],
    retry: int = 0,
    **_: Any,
) -> None:
    """Finalizer: delete the Kafka topic unless deletionPolicy is Retain.

    If the broker refuses, the finalizer stays and kopf retries; setting
    ``deletionPolicy: Retain`` on the resource lets it go without touching the topic.
    """
    with observe("KafkaTopic", "delete") as seen:
        try:
            spec = TopicSpec.from_resource(body.spec, body.meta.name or "")
        except InvalidTopicSpec:
            seen["result"] = "invalid"
            return  # an unreadable spec never created a topic
        _drop_gauge("KafkaTopic", body)
        if spec.retain:
            logger.info("deletionPolicy Retain: keeping Kafka topic %s", spec.name)
            return
        try:
            existed = await memo.topics.delete(spec.name)
        except BrokerError as exc:
            seen["result"] = "retry"
            delay = backoff(memo, retry)
            raise kopf.TemporaryError(
                f"cannot delete topic {spec.name}: {exc}", delay=delay
            ) from exc
        logger.info(
            "deleted Kafka topic %s" if existed else "Kafka topic %s was already gone", spec.name
        )


def _drop_gauge(kind: str, body: kopf.Body) -> None:
    """Forget a deleted resource's Ready series (it was never set if it never reconciled)."""
    try:
        READY.remove(kind, body.meta.namespace or "", body.meta.name or "")
    except KeyError:
        pass


# --- ScheduledJob ------------------------------------------------------------------------


async def _job(body: kopf.Body, patch: kopf.Patch, memo: Any, retry: int, trigger: str) -> None:
    with observe("ScheduledJob", trigger) as seen:
        sid = schedule_id(body.meta.namespace or "default", body.meta.name or "")
        try:
            spec = JobSpec.from_resource(body.spec)
            outcome = await reconcile_schedule(memo.schedules, sid, spec, trigger)  # type: ignore[arg-type]
        except InvalidScheduleError as exc:
            seen["result"] = "invalid"
            write_status(
                patch,
                body,
                {"scheduleId": sid},
                [Condition("Ready", "False", "InvalidSchedule", str(exc))],
            )
            _gauge("ScheduledJob", patch, body)
            raise kopf.PermanentError(str(exc)) from exc
        except (RedisError, OSError) as exc:
            seen["result"] = "retry"
            raise _unavailable(patch, body, memo, retry, "RedisUnavailable", exc) from exc
        if outcome.ready.status != "True":
            seen["result"] = "problem"
        write_status(patch, body, outcome.status(), [outcome.ready])
        _gauge("ScheduledJob", patch, body)


async def job_apply(
    body: kopf.Body, patch: kopf.Patch, memo: Any, retry: int = 0, **_: Any
) -> None:
    """Create / resume / update: register, replace or (suspend) remove the entry."""
    await _job(body, patch, memo, retry, "apply")


async def job_check(
    body: kopf.Body, patch: kopf.Patch, memo: Any, retry: int = 0, **_: Any
) -> None:
    """Timer: refresh nextRun/lastRun and re-register an entry that went missing."""
    if body.meta.deletion_timestamp:
        return
    await _job(body, patch, memo, retry, "timer")


async def job_delete(body: kopf.Body, memo: Any, retry: int = 0, **_: Any) -> None:
    """Finalizer: remove the entry (and its last-run record) from Redis."""
    with observe("ScheduledJob", "delete") as seen:
        sid = schedule_id(body.meta.namespace or "default", body.meta.name or "")
        _drop_gauge("ScheduledJob", body)
        try:
            await memo.schedules.forget(sid)
        except (RedisError, OSError) as exc:
            seen["result"] = "retry"
            raise kopf.TemporaryError(
                f"cannot remove schedule {sid}: {exc}", delay=backoff(memo, retry)
            ) from exc


# --- registration ------------------------------------------------------------------------


def register(registry: kopf.OperatorRegistry, conf: ReconcileConf) -> None:
    """Attach every handler to ``registry`` (kopf's default one in production)."""
    for plural, apply, check, delete, interval in (
        (TOPICS, topic_apply, topic_check, topic_delete, conf.topic_check_s),
        (JOBS, job_apply, job_check, job_delete, conf.schedule_check_s),
    ):
        kopf.on.resume(GROUP, VERSION, plural, registry=registry)(apply)
        kopf.on.create(GROUP, VERSION, plural, registry=registry)(apply)
        kopf.on.update(GROUP, VERSION, plural, field="spec", registry=registry)(apply)
        kopf.on.delete(GROUP, VERSION, plural, registry=registry)(delete)
        kopf.timer(
            GROUP,
            VERSION,
            plural,
            interval=interval,
            initial_delay=interval,
            idle=None,
            registry=registry,
        )(check)

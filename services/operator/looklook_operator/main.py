"""``looklook-operator operator [-f CONFIG]``: the kopf operator with the ops server.

The ops port (services.yaml, 4012) serves /metrics, /healthz and /readyz (Kafka and
Redis reachable); kopf's own liveness endpoint (``settings.liveness``) is what the
Deployment's livenessProbe hits, because it fails when kopf's watch loops are stuck.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import kopf
from looklook.jobs import JobsOptions, schedule_source
from looklook.lifecycle import Lifecycle, run_process
from looklook.logs import setup_logging
from looklook.ops import OpsServer
from looklook.settings import ConfigError, load_settings
from redis.asyncio import Redis

from looklook_operator.config import OperatorSettings
from looklook_operator.handlers import register
from looklook_operator.kafka_admin import TopicAdmin
from looklook_operator.schedules import ScheduleStore

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "etc" / "operator.yaml"
FINALIZER = "looklook.dev/finalizer"


def build_registry(settings: OperatorSettings) -> kopf.OperatorRegistry:
    """Handlers plus kopf settings under our own annotation/finalizer names."""
    registry = kopf.OperatorRegistry()
    register(registry, settings.reconcile)

    @kopf.on.startup(registry=registry)
    def configure(settings: kopf.OperatorSettings, **_: Any) -> None:
        settings.persistence.finalizer = FINALIZER
        settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(
            prefix="looklook.dev"
        )
        settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
            prefix="looklook.dev", key="last-handled-configuration"
        )
        settings.posting.level = 20  # INFO and above become Kubernetes events

    return registry


async def run_operator(settings: OperatorSettings, lc: Lifecycle) -> None:
    """Open the clients, start the ops server, run kopf until ``lc.shutdown``."""
    topics = TopicAdmin(settings.kafka.brokers, settings.kafka.request_timeout_ms)
    lc.on_close(topics.close)
    source = schedule_source(settings.redis, JobsOptions())
    await source.startup()
    lc.on_close(source.shutdown)
    redis = Redis.from_url(settings.redis.url)
    lc.on_close(redis.aclose)

    async def redis_ready() -> None:
        await redis.ping()

    ops = OpsServer(settings.ops, {"kafka": topics.ping, "redis": redis_ready})
    await ops.start()
    lc.on_close(ops.stop)

    memo = kopf.Memo(
        topics=topics, schedules=ScheduleStore(source, redis), reconcile=settings.reconcile
    )
    await kopf.operator(
        registry=build_registry(settings),
        memo=memo,
        clusterwide=not settings.namespaces,
        namespaces=settings.namespaces,
        standalone=not settings.peering,
        peering_name=settings.peering or None,
        liveness_endpoint=settings.liveness,
        stop_flag=lc.shutdown,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="looklook-operator")
    parser.add_argument("process", choices=["operator"])
    parser.add_argument("-f", "--config", type=Path, default=DEFAULT_CONFIG)
    args = parser.parse_args(argv)
    try:
        settings = load_settings(OperatorSettings, args.config)
    except ConfigError as exc:
        print(f"looklook-operator: {exc}", file=sys.stderr)
        sys.exit(2)
    setup_logging(settings.name, settings.log.level)

    async def process(lc: Lifecycle) -> None:
        await run_operator(settings, lc)

    sys.exit(run_process(process, grace_s=settings.shutdown_grace_s + 5))

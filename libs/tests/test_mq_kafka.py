"""Publisher and consumer group against a real Kafka-protocol broker (tansu)."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from looklook.mq.kafka import KafkaConsumerGroup, KafkaPublisher, ensure_topic
from looklook.mq.testing import ensure_tansu
from looklook.settings import KafkaConf

pytestmark = pytest.mark.kafka
#: tansu holds a JoinGroup for the rebalance timeout (minimum ~3 s); keep joins short.
FAST = {"rebalance_timeout_ms": 1000}


@pytest.fixture(scope="module")
def brokers(infra):
    proc = ensure_tansu(infra.kafka_bootstrap)
    yield [infra.kafka_bootstrap]
    if proc is not None:
        proc.terminate()
        proc.wait()


@pytest.fixture
async def topic(brokers):
    name = f"t_mq_{uuid.uuid4().hex[:10]}"
    await ensure_topic(brokers, name)
    return name


async def _wait_for(predicate, limit_s=20.0):
    deadline = time.monotonic() + limit_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _committed(conf: KafkaConf) -> int | None:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    probe = AIOKafkaConsumer(bootstrap_servers=conf.brokers, group_id=conf.group,
                             enable_auto_commit=False)
    await probe.start()
    try:
        return await probe.committed(TopicPartition(conf.topic, 0))
    finally:
        await probe.stop()


async def test_round_trip_with_upstream_key(brokers, topic):
    conf = KafkaConf(brokers=brokers, topic=topic, group=f"g_{topic}")
    publisher = KafkaPublisher(conf)
    before = time.time_ns()
    await publisher.publish(b'{"payStatus":1,"orderSn":"HSO1"}')
    await publisher.publish(b"second", key=b"k")
    await publisher.stop()

    got = []

    async def handler(record):
        got.append(record)

    group = KafkaConsumerGroup(conf, handler, **FAST)
    await group.start()
    await _wait_for(lambda: len(got) == 2)
    await group.stop()

    assert [r.value for r in got] == [b'{"payStatus":1,"orderSn":"HSO1"}', b"second"]
    assert before <= int(got[0].key) <= time.time_ns()
    assert got[1].key == b"k"
    assert await _committed(conf) == 2


async def test_failed_handler_is_retried_and_committed_only_after_success(brokers, topic):
    conf = KafkaConf(brokers=brokers, topic=topic, group=f"g_{topic}")
    publisher = KafkaPublisher(conf)
    await publisher.publish(b"flaky")
    await publisher.stop()

    attempts = []
    release = asyncio.Event()

    async def handler(record):
        attempts.append(record.offset)
        if len(attempts) == 1:
            raise RuntimeError("transient")
        await release.wait()  # second attempt: hold it so we can look at the commit

    group = KafkaConsumerGroup(conf, handler, backoff_s=0.05, **FAST)
    await group.start()
    await _wait_for(lambda: len(attempts) == 2)
    assert await _committed(conf) is None  # failed once, still in hand: not committed
    release.set()
    await group.stop()
    assert attempts == [0, 0]
    assert await _committed(conf) == 1


async def test_poison_message_is_skipped_after_bounded_attempts(brokers, topic):
    conf = KafkaConf(brokers=brokers, topic=topic, group=f"g_{topic}")
    publisher = KafkaPublisher(conf)
    await publisher.publish(b"poison")
    await publisher.publish(b"fine")
    await publisher.stop()

    seen = []

    async def handler(record):
        seen.append(record.value)
        if record.value == b"poison":
            raise ValueError("never works")

    group = KafkaConsumerGroup(conf, handler, max_attempts=3, backoff_s=0.01, **FAST)
    await group.start()
    await _wait_for(lambda: b"fine" in seen)
    await group.stop()
    assert seen == [b"poison"] * 3 + [b"fine"]
    assert await _committed(conf) == 2


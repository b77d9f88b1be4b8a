"""Outbox relay against real MariaDB and tansu: Kafka down, then up, nothing lost."""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncmy
import pytest
from aiokafka import AIOKafkaConsumer
from looklook.data.db import create_database
from looklook.mq import outbox
from looklook.mq.kafka import KafkaPublisher, ensure_topic
from looklook.mq.testing import ensure_tansu
from looklook.settings import KafkaConf, MySQLConf

pytestmark = pytest.mark.kafka


@pytest.fixture(scope="module")
def brokers(infra):
    proc = ensure_tansu(infra.kafka_bootstrap)
    yield [infra.kafka_bootstrap]
    if proc is not None:
        proc.terminate()
        proc.wait()


@pytest.fixture
async def db(infra):
    name = f"t_mq_{uuid.uuid4().hex[:12]}"
    admin = await asyncmy.connect(host=infra.mysql_host, port=infra.mysql_port,
                                  user=infra.mysql_user, password=infra.mysql_password)
    async with admin.cursor() as cur:
        await cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    conf = MySQLConf(host=infra.mysql_host, port=infra.mysql_port, user=infra.mysql_user,
                     password=infra.mysql_password, database=name)
    database = await create_database(conf)
    await database.execute(outbox.OUTBOX_DDL)
    await database.execute(outbox.OUTBOX_DDL)  # idempotent
    yield database
    await database.close()
    async with admin.cursor() as cur:
        await cur.execute(f"DROP DATABASE `{name}`")
    admin.close()


async def _read_all(brokers, topic, count, limit_s=20.0):
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=brokers, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    got = []
    deadline = time.monotonic() + limit_s
    try:
        while len(got) < count and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                got.extend((r.key, r.value) for r in records)
    finally:
        await consumer.stop()
    return got


async def _drained(db, limit_s=10.0):
    for _ in range(int(limit_s / 0.05)):
        if not await outbox.pending_count(db):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("outbox not drained")


async def test_rolled_back_transaction_leaves_no_event(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await outbox.add(tx, "t", b"x")
            raise RuntimeError("business change failed")
    assert await outbox.pending_count(db) == 0


async def test_relay_keeps_rows_while_kafka_is_down_then_delivers_in_order(db, brokers):
    topic = f"t_mq_{uuid.uuid4().hex[:10]}"
    await ensure_topic(brokers, topic)
    stored = []
    for i in range(5):
        async with db.transaction() as tx:
            payload = f'{{"payStatus":1,"orderSn":"HSO{i}"}}'.encode()
            key = None if i % 2 else f"k{i}".encode()
            await outbox.add(tx, topic, payload, key)
    rows = await db.fetch_all("SELECT msg_key, payload FROM looklook_outbox ORDER BY id")
    stored = [(bytes(r["msg_key"]), bytes(r["payload"])) for r in rows]
    assert stored[0][0] == b"k0" and stored[1][0].isdigit()  # ns key fixed at add time

    down = KafkaPublisher(KafkaConf(brokers=["127.0.0.1:1"], topic=topic),
                          request_timeout_ms=500)
    relay = outbox.OutboxRelay(db, down, poll_interval=0.05, max_backoff_s=0.2)
    relay.start()
    await asyncio.sleep(1.0)
    await relay.stop()
    await down.stop()
    assert await outbox.pending_count(db) == 5
    assert outbox.OUTBOX_PENDING.labels(db.database)._value.get() == 5

    up = KafkaPublisher(KafkaConf(brokers=brokers, topic=topic))
    relay = outbox.OutboxRelay(db, up, poll_interval=0.05, batch_size=2)
    relay.start()
    await _drained(db)
    await relay.stop()
    await up.stop()

    assert await outbox.pending_count(db) == 0
    assert await _read_all(brokers, topic, 5) == stored


async def test_two_relays_publish_each_row_once_in_order(db, brokers):
    topic = f"t_mq_{uuid.uuid4().hex[:10]}"
    await ensure_topic(brokers, topic)
    async with db.transaction() as tx:
        for i in range(30):
            await outbox.add(tx, topic, str(i).encode(), b"k")

    publishers = [KafkaPublisher(KafkaConf(brokers=brokers, topic=topic)) for _ in range(2)]
    relays = [outbox.OutboxRelay(db, p, poll_interval=0.01, batch_size=3) for p in publishers]
    for relay in relays:
        relay.start()
    await _drained(db)
    for relay, publisher in zip(relays, publishers, strict=True):
        await relay.stop()
        await publisher.stop()

    got = await _read_all(brokers, topic, 30)
    assert [v for _, v in got] == [str(i).encode() for i in range(30)]

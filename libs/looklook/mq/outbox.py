"""Transactional outbox: record the event with the business change, publish it after.

``add(tx, …)`` inserts into ``looklook_outbox`` inside the caller's transaction, so the
event exists if and only if the change committed. ``OutboxRelay`` then publishes unsent
rows in id order and stamps ``sent_at``. If Kafka is down the batch rolls back and is
retried with backoff: nothing is lost and the order is kept. Delivery is at-least-once
(a crash after publishing but before the stamp republishes that batch).

Several relays may run (one per replica): an advisory lock (``GET_LOCK``) lets one
relay publish at a time, so batches never interleave out of order, and the batch is read
``FOR UPDATE SKIP LOCKED`` so the relay never waits on rows a writer has not committed.
"""

from __future__ import annotations

import asyncio
import logging
from importlib.resources import files
from typing import Final, Protocol

from prometheus_client import Counter, Gauge

from looklook.data.db import Database, Executor
from looklook.mq.kafka import ns_key

__all__ = ["OUTBOX_DDL", "OutboxRelay", "Publisher", "add", "pending_count"]

log = logging.getLogger(__name__)

#: The table's DDL (idempotent); services include it in their migrations.
OUTBOX_DDL: Final = files("looklook.mq").joinpath("outbox.sql").read_text(encoding="utf-8")

OUTBOX_PENDING = Gauge(
    "looklook_outbox_pending", "Outbox rows not yet published to Kafka.", ["database"]
)
OUTBOX_PUBLISHED = Counter(
    "looklook_outbox_published_total", "Outbox rows published to Kafka.", ["database", "topic"]
)
OUTBOX_RELAY_ERRORS = Counter(
    "looklook_outbox_relay_errors_total", "Failed outbox relay rounds.", ["database"]
)


class Publisher(Protocol):
    """What the relay needs from ``looklook.mq.kafka.KafkaPublisher``."""

    async def publish(
        self, value: bytes, key: bytes | None = None, *, topic: str | None = None
    ) -> object: ...


async def add(tx: Executor, topic: str, payload: bytes, key: bytes | None = None) -> int:
    """Record an event in the caller's transaction; returns its outbox id.

    Without ``key`` the upstream key (producer time in ns) is fixed now, at the moment
    the event happened, not when it is relayed.
    """
    _, row_id = await tx.execute(
        "INSERT INTO `looklook_outbox` (`topic`, `msg_key`, `payload`) VALUES (%s, %s, %s)",
        (topic, key if key is not None else ns_key(), payload),
    )
    return row_id


async def pending_count(db: Executor) -> int:
    """Number of rows still waiting for Kafka."""
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM `looklook_outbox` WHERE `sent_at` IS NULL")
    return int(row["n"]) if row else 0


class OutboxRelay:
    """Publishes unsent outbox rows in id order until stopped."""

    def __init__(
        self,
        db: Database,
        publisher: Publisher,
        poll_interval: float = 0.5,
        *,
        batch_size: int = 100,
        max_backoff_s: float = 30.0,
        retention_s: int = 7 * 86400,
    ) -> None:
        self.db = db
        self.publisher = publisher
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self.max_backoff_s = max_backoff_s
        self.retention_s = retention_s
        self._lock_name = f"looklook_outbox_relay:{db.database}"
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def relay_once(self) -> int:
        """Publish one batch; returns how many rows were sent (0 if another relay is busy).

        Raises whatever the publisher raises; the batch is then left unsent.
        """
        async with self.db.transaction() as tx:
            got = await tx.fetch_one("SELECT GET_LOCK(%s, 0) AS ok", (self._lock_name,))
            if not got or got["ok"] != 1:
                return 0
            try:
                rows = await tx.fetch_all(
                    "SELECT `id`, `topic`, `msg_key`, `payload` FROM `looklook_outbox`"
                    " WHERE `sent_at` IS NULL ORDER BY `id` LIMIT %s FOR UPDATE SKIP LOCKED",
                    (self.batch_size,),
                )
                for row in rows:
                    await self.publisher.publish(
                        bytes(row["payload"]), bytes(row["msg_key"] or b"") or None,
                        topic=row["topic"],
                    )
                    OUTBOX_PUBLISHED.labels(self.db.database, row["topic"]).inc()
                if rows:
                    marks = ",".join(["%s"] * len(rows))
                    await tx.execute(
                        f"UPDATE `looklook_outbox` SET `sent_at` = NOW(6) WHERE `id` IN ({marks})",
                        [r["id"] for r in rows],
                    )
                return len(rows)
            finally:
                await tx.fetch_one("SELECT RELEASE_LOCK(%s) AS ok", (self._lock_name,))

    async def purge_sent(self) -> int:
        """Delete rows sent longer than ``retention_s`` ago (bounded per call)."""
        count, _ = await self.db.execute(
            "DELETE FROM `looklook_outbox` WHERE `sent_at` < NOW(6) - INTERVAL %s SECOND"
            " LIMIT 1000",
            (self.retention_s,),
        )
        return count

    async def _observe_pending(self) -> None:
        try:
            OUTBOX_PENDING.labels(self.db.database).set(await pending_count(self.db))
        except Exception:  # noqa: BLE001 - MySQL down: the gauge keeps its last value
            log.debug("cannot count pending outbox rows", exc_info=True)

    async def run(self) -> None:
        """Relay until ``stop()``; errors back off exponentially, never end the loop."""
        backoff = self.poll_interval
        while not self._stopping.is_set():
            try:
                sent = await self.relay_once()
                backoff = wait = self.poll_interval
                if sent == 0:
                    await self.purge_sent()
            except Exception as exc:  # noqa: BLE001 - Kafka or MySQL down: keep trying
                OUTBOX_RELAY_ERRORS.labels(self.db.database).inc()
                log.warning("outbox relay round failed, retry in %.1fs: %s", backoff, exc)
                sent = 0
                wait, backoff = backoff, min(backoff * 2, self.max_backoff_s)
            await self._observe_pending()
            if sent == self.batch_size:
                continue  # a full batch: more may be waiting, go again at once
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=wait)
            except TimeoutError:
                pass

    def start(self) -> None:
        """Run the relay in a background task."""
        self._stopping.clear()
        self._task = asyncio.create_task(self.run(), name=f"outbox-relay-{self.db.database}")

    async def stop(self) -> None:
        """Stop after the current round (its batch is either stamped or left unsent)."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

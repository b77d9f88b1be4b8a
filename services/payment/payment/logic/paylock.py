"""One CreatePayment at a time per order: a MariaDB named lock.

Why ``GET_LOCK`` and not ``SELECT … FOR UPDATE``: the first payment of an order has no
row to lock yet, and ``third_payment.order_sn`` has no index (the schema stays
upstream's), so ``FOR UPDATE`` would scan and gap-lock the whole table, serialising
every order's payments and deadlocking two first inserts. A named lock is keyed by the
order alone, needs no row, and MariaDB frees it if our connection dies.

Everything under the lock runs on the ONE connection that holds it: a second pooled
connection per call could deadlock a full pool (every connection held by a waiter in
GET_LOCK while the holder waits for one more). That connection runs in autocommit, so
the insert is committed before the lock is released and the next caller sees it.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from looklook.data import Database, Transaction

__all__ = ["LockTimeout", "lock_name", "order_lock"]

#: seconds a second caller waits for the first (a CreatePayment takes milliseconds).
WAIT_S: Final = 5
#: MariaDB limits lock names to 64 characters.
_MAX_NAME: Final = 64
_PREFIX: Final = "looklook:pay:"


class LockTimeout(Exception):
    """Another CreatePayment for the order held the lock for longer than ``WAIT_S``."""


def lock_name(order_sn: str) -> str:
    """``looklook:pay:<order_sn>``; a hash of the sn when that would be too long."""
    name = _PREFIX + order_sn
    if len(name) <= _MAX_NAME:
        return name
    return _PREFIX + "#" + hashlib.sha256(order_sn.encode()).hexdigest()[:40]


@asynccontextmanager
async def order_lock(db: Database, order_sn: str) -> AsyncIterator[Transaction]:
    """Hold the order's lock for the block and yield the connection to run it on.

    Raises LockTimeout (busy) or DataError (MariaDB unreachable).
    """
    name = lock_name(order_sn)
    # db.transaction() is the public way to pin one pooled connection; its BEGIN is
    # ended at once so each statement below autocommits (the pool's normal mode).
    async with db.transaction() as pinned:
        await pinned.execute("COMMIT")
        got = await pinned.fetch_one("SELECT GET_LOCK(%s, %s) AS got", (name, WAIT_S))
        if not got or got["got"] != 1:
            raise LockTimeout(f"payment lock {name} busy")
        try:
            yield pinned
        finally:
            await pinned.fetch_one("SELECT RELEASE_LOCK(%s) AS released", (name,))

"""Row cache with go-zero ``sqlc``/``cache`` semantics, shared with Go services.

What Go services expect to find in Redis (database.md §5), and therefore what we do:

* a row lives under its primary-key key as JSON, ``SETEX`` 7 days ± 5 % jitter;
* a unique-index key holds the primary key as a JSON number; when an index lookup
  loads the row, the row is stored with the index key's expiry + 5 s so the index
  never outlives the row it points to;
* a miss stores the placeholder ``*`` with ``SET NX`` for 1 minute ± 5 %;
* writers delete the affected keys after the statement (delete-after-write).

Concurrent misses for one key inside this process share one loader call
(singleflight), so a burst of requests for a cold row costs MySQL one query.

Values are handled as raw JSON bytes here; turning them into rows is the model's job.
When Redis itself fails on a read we fall back to the loader (Go would fail the
request); failed writes and deletes are logged, never raised, as in go-zero.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from typing import cast

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from looklook.data.errors import DataError
from looklook.data.instrument import observe_redis
from looklook.settings import RedisConf

__all__ = [
    "NOT_FOUND_PLACEHOLDER",
    "Cache",
    "create_cache",
    "redis_readiness",
]

log = logging.getLogger(__name__)

NOT_FOUND_PLACEHOLDER = b"*"
DEFAULT_EXPIRY_S = 7 * 24 * 3600
DEFAULT_NOT_FOUND_EXPIRY_S = 60
EXPIRY_DEVIATION = 0.05
INDEX_PRIMARY_GAP_S = 5  # go-zero's cacheSafeGapBetweenIndexAndPrimary

Loader = Callable[[], Awaitable[bytes | None]]
ExpiringLoader = Callable[[float], Awaitable[bytes | None]]


class Cache:
    """A go-zero compatible cache node over one ``redis.asyncio.Redis`` client."""

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        expiry_s: float = DEFAULT_EXPIRY_S,
        not_found_expiry_s: float = DEFAULT_NOT_FOUND_EXPIRY_S,
        namespace: str = "",
    ) -> None:
        """``namespace`` prefixes every key; keep it empty outside tests (Go shares keys)."""
        self.client = client
        self.namespace = namespace
        self.expiry_s = expiry_s
        self.not_found_expiry_s = not_found_expiry_s
        self._flights: dict[str, asyncio.Future[bytes | None]] = {}

    # -- Redis calls, timed ------------------------------------------------------------

    async def _call[T](self, command: str, fn: Callable[[], Awaitable[T]]) -> T:
        start = time.perf_counter()
        error: BaseException | None = None
        try:
            return await fn()
        except (RedisError, OSError) as exc:
            error = exc
            raise DataError(f"redis {command}: {exc}") from exc
        finally:
            observe_redis(command, time.perf_counter() - start, error)

    @staticmethod
    def around(seconds: float) -> float:
        """``seconds`` ± 5 % at random, so keys written together do not expire together."""
        return seconds * (1 + EXPIRY_DEVIATION - 2 * EXPIRY_DEVIATION * random.random())

    def redis_key(self, key: str) -> str:
        """The Redis key actually used for the logical cache key ``key``."""
        return self.namespace + key

    async def get(self, key: str) -> bytes | None:
        """Raw value of ``key`` (``*`` included), None when absent."""
        value = await self._call("get", lambda: self.client.get(self.redis_key(key)))
        # redis-py types replies as bytes | str; without decode_responses they are bytes.
        return cast(bytes | None, value)

    async def set_with_expire(self, key: str, value: bytes, seconds: float) -> None:
        """``SETEX`` rounded up to whole seconds, as go-zero does; errors are logged."""
        ttl = max(1, math.ceil(seconds))
        try:
            await self._call("setex", lambda: self.client.set(self.redis_key(key), value, ex=ttl))
        except DataError:
            log.warning("cache set failed", extra={"key": key}, exc_info=True)

    async def set_not_found(self, key: str) -> None:
        """Store the ``*`` placeholder unless a real value arrived meanwhile (``SET NX``)."""
        ttl = max(1, math.ceil(self.around(self.not_found_expiry_s)))
        name = self.redis_key(key)
        try:
            await self._call(
                "set", lambda: self.client.set(name, NOT_FOUND_PLACEHOLDER, ex=ttl, nx=True)
            )
        except DataError:
            log.warning("cache placeholder failed", extra={"key": key}, exc_info=True)

    async def delete(self, *keys: str) -> None:
        """Delete keys after a write; a failure is logged (the TTL bounds staleness)."""
        if not keys:
            return
        try:
            names = [self.redis_key(k) for k in keys]
            await self._call("del", lambda: self.client.delete(*names))
        except DataError:
            log.error("cache delete failed", extra={"keys": list(keys)}, exc_info=True)

    async def ping(self) -> None:
        await self._call("ping", lambda: self.client.ping())

    async def close(self) -> None:
        await self.client.aclose()

    # -- take: read-through with singleflight -----------------------------------------

    async def take(self, key: str, loader: Loader) -> bytes | None:
        """The cached value of ``key``, loading (and caching) it on a miss.

        ``loader`` returns the JSON to cache, or None for "no such row" (cached as ``*``).
        Returns None when the row does not exist.
        """
        return await self.take_with_expire(key, lambda _expiry: loader(), store=True)

    async def take_with_expire(
        self, key: str, loader: ExpiringLoader, *, store: bool = True
    ) -> bytes | None:
        """Like :meth:`take`, but ``loader`` learns the expiry chosen for ``key``.

        Index lookups use it to store the row under its primary key a little longer.
        """
        while (flight := self._flights.get(key)) is not None:
            try:
                return await asyncio.shield(flight)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not flight.cancelled() or (task is not None and task.cancelling()):
                    raise
                # the leader was cancelled, not us: take over the load
        flight = asyncio.get_running_loop().create_future()
        self._flights[key] = flight
        try:
            value = await self._take_uncached(key, loader, store)
        except asyncio.CancelledError:
            flight.cancel()
            raise
        except BaseException as exc:
            flight.set_exception(exc)
            flight.exception()  # mark retrieved: there may be no waiter
            raise
        else:
            flight.set_result(value)
            return value
        finally:
            del self._flights[key]

    async def _take_uncached(self, key: str, loader: ExpiringLoader, store: bool) -> bytes | None:
        try:
            cached = await self.get(key)
        except DataError:
            log.warning("cache read failed, reading MySQL", extra={"key": key}, exc_info=True)
            return await loader(self.around(self.expiry_s))
        if cached == NOT_FOUND_PLACEHOLDER:
            return None
        if cached is not None:
            return cached
        expiry = self.around(self.expiry_s)
        value = await loader(expiry)
        if value is None:
            await self.set_not_found(key)
        elif store:
            await self.set_with_expire(key, value, expiry)
        return value

    async def discard_corrupt(self, key: str) -> None:
        """Drop a value that could not be decoded, so the next read reloads it."""
        await self.delete(key)


async def create_cache(conf: RedisConf, *, namespace: str = "") -> Cache:
    """A cache node for ``conf`` (the ``cache`` section of a service)."""
    client = aioredis.Redis(
        host=conf.host,
        port=conf.port,
        password=conf.password or None,
        db=conf.db,
        # A cache must fail fast: reads fall back to MySQL, so one quick retry is enough
        # (redis-py's default backoff would stall every request for seconds).
        socket_connect_timeout=1,
        socket_timeout=2,
        retry=Retry(NoBackoff(), 1),
    )
    return Cache(client, namespace=namespace)


def redis_readiness(cache: Cache) -> Callable[[], Awaitable[None]]:
    """A check for ``looklook.ops.OpsServer``: ready while Redis answers PING."""
    return cache.ping

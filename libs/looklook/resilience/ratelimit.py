"""Token-bucket rate limiting, in process or shared through Redis.

``TokenBucket`` limits one process; ``RedisTokenBucket`` keeps the bucket in Redis
(one Lua script, Redis server time) so every replica shares one cluster-wide limit.
"""

from __future__ import annotations

import time
from typing import Any

from looklook.resilience.window import Clock


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` stored; ``allow(n)`` takes n tokens."""

    def __init__(self, rate: float, burst: int, *, clock: Clock = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock()

    def allow(self, n: int = 1) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= n:
            self._tokens -= n
            return True
        return False


# KEYS[1] = bucket hash; ARGV = rate, burst, n. Uses Redis TIME so replicas with skewed
# clocks agree; the key expires once a full bucket would have refilled.
_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate) end
local ok = 0
if tokens >= n then tokens = tokens - n ok = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(math.max(now, ts)))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return ok
"""


class RedisTokenBucket:
    """Cluster-wide token bucket. ``redis`` is a ``redis.asyncio.Redis`` client."""

    def __init__(self, redis: Any, key: str, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.key = key
        self.rate = rate
        self.burst = burst
        self._script = redis.register_script(_LUA)

    async def allow(self, n: int = 1) -> bool:
        result = await self._script(keys=[self.key], args=[self.rate, self.burst, n])
        return int(result) == 1


RateLimiter = TokenBucket

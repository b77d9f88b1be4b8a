"""Resilience primitives: deadlines, load shedding, adaptive breaker, rate limits."""

from looklook.resilience.breaker import Breaker, BreakerOpenError
from looklook.resilience.cpu import CpuSampler, cpu_capacity
from looklook.resilience.ratelimit import RateLimiter, RedisTokenBucket, TokenBucket
from looklook.resilience.shedding import LoadShedder, OverloadedError
from looklook.resilience.timeout import Timeout, remaining_s
from looklook.resilience.window import RollingWindow

__all__ = [
    "Breaker",
    "BreakerOpenError",
    "CpuSampler",
    "LoadShedder",
    "OverloadedError",
    "RateLimiter",
    "RedisTokenBucket",
    "RollingWindow",
    "Timeout",
    "TokenBucket",
    "cpu_capacity",
    "remaining_s",
]

"""Deterministic resilience tests: injected clocks and random sources, no timing asserts."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis
from looklook.errors import CodeError
from looklook.resilience import (
    Breaker,
    BreakerOpenError,
    CpuSampler,
    LoadShedder,
    OverloadedError,
    RedisTokenBucket,
    RollingWindow,
    Timeout,
    TokenBucket,
    remaining_s,
)


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, dt: float) -> None:
        self.t += dt


def test_rolling_window_expires_old_buckets() -> None:
    clock = FakeClock()
    w = RollingWindow(4, 1.0, clock=clock)
    for v in (1, 2):
        w.add(v)
        clock.advance(1)
    w.add(4)
    assert [b.sum for b in w.buckets()] == [0, 1, 2, 4]
    assert [b.sum for b in w.buckets(ignore_current=True)] == [0, 1, 2]
    clock.advance(2)  # the bucket holding 1 falls out of the window
    assert sum(b.sum for b in w.buckets()) == 6
    clock.advance(10)
    assert sum(b.count for b in w.buckets()) == 0


def test_breaker_formula_and_rejection() -> None:
    clock = FakeClock()
    draw = {"v": 1.0}  # 1.0 never drops; lowered below to force decisions
    b = Breaker(protection=0, clock=clock, rand=lambda: draw["v"])
    for ok in [True, True] + [False] * 8:
        promise = b.allow()
        promise.accept() if ok else promise.reject()
    assert b.history() == (2, 10)
    ratio = (10 - 1.5 * 2) / 11
    assert b.drop_ratio() == pytest.approx(ratio)
    draw["v"] = ratio + 0.01
    b.allow().accept()  # draw >= ratio: admitted
    draw["v"] = 0.0
    with pytest.raises(BreakerOpenError):
        b.allow()  # draw < ratio: dropped, and counted as a failed request
    assert b.history() == (3, 12)


def test_breaker_healthy_never_drops_and_recovers_after_window() -> None:
    clock = FakeClock()
    b = Breaker(clock=clock, rand=lambda: 0.0)
    for _ in range(100):
        b.allow().accept()
    assert b.drop_ratio() == 0
    for _ in range(3):  # within protection (5) failures alone never open it
        b.allow().reject()
    assert b.drop_ratio() == 0
    b2 = Breaker(clock=clock, rand=lambda: 0.0)
    opened_at = None
    for i in range(20):
        try:
            b2.allow().reject()
        except BreakerOpenError:
            opened_at = opened_at if opened_at is not None else i
    assert opened_at == 6  # (requests - 5 - 1.5*accepts) turns positive after 6 failures
    with pytest.raises(BreakerOpenError):
        b2.allow()
    clock.advance(11)  # window (10 s) passed: history forgotten
    b2.allow().accept()


async def test_breaker_call_counts_acceptable_errors_as_success() -> None:
    b = Breaker(protection=0, rand=lambda: 1.0)

    async def business_error() -> None:
        raise CodeError.of_msg("user has been registered")

    async def transport_error() -> None:
        raise ConnectionError("refused")

    with pytest.raises(CodeError):
        await b.call(business_error, acceptable=lambda e: isinstance(e, CodeError))
    with pytest.raises(ConnectionError):
        await b.call(transport_error, acceptable=lambda e: isinstance(e, CodeError))

    async def ok() -> int:
        return 7

    assert await b.call(ok) == 7
    assert b.history() == (2, 3)


def test_shedder_never_drops_when_cpu_is_cool() -> None:
    clock = FakeClock()
    s = LoadShedder(900, cpu_usage=lambda: 100, clock=clock)
    promises = [s.allow() for _ in range(1000)]
    assert s.flying == 1000
    for p in promises:
        p.pass_()
    assert s.flying == 0


def test_shedder_drops_when_hot_and_over_capacity_then_cools_off() -> None:
    clock = FakeClock()
    cpu = {"v": 100}
    s = LoadShedder(900, cpu_usage=lambda: cpu["v"], clock=clock)
    # history: 10 requests per 100 ms bucket, 10 ms each -> max_flight = 10*10*0.01 = 1
    for _ in range(5):
        for _ in range(10):
            p = s.allow()
            clock.advance(0.001)
            p.pass_()
        clock.advance(0.1)
    assert s.max_flight() == pytest.approx(1.0, abs=0.5)
    held = [s.allow() for _ in range(20)]  # cool CPU: admitted regardless of load
    s.avg_flying = 20.0  # a sustained backlog, as the moving average would show
    cpu["v"] = 950
    with pytest.raises(OverloadedError):
        s.allow()
    cpu["v"] = 100
    with pytest.raises(OverloadedError):  # still hot: dropped within the last second
        s.allow()
    clock.advance(1.5)
    s.allow().pass_()
    for p in held:
        p.fail()
    assert s.flying == 0


def test_shedder_threshold_zero_disables() -> None:
    s = LoadShedder(0, cpu_usage=lambda: 1000)
    s.avg_flying = 1e9
    s.flying = 10**6
    s.allow()


def test_cpu_sampler_moving_average() -> None:
    cpu, wall = FakeClock(0.0), FakeClock(0.0)
    sampler = CpuSampler(cpu_time=cpu, wall_time=wall, capacity=2.0, beta=0.5)
    wall.advance(1.0)
    cpu.advance(1.0)  # one of two CPUs busy: 500 per mille
    assert sampler.sample() == 250  # 0*0.5 + 500*0.5
    wall.advance(1.0)
    cpu.advance(2.0)  # both busy
    assert sampler.sample() == 625  # 250*0.5 + 1000*0.5


async def test_timeout_deadline_and_remaining() -> None:
    assert remaining_s() is None
    assert remaining_s(2.0) == 2.0
    async with Timeout(5000):
        left = remaining_s()
        assert left is not None and 4.0 < left <= 5.0
        async with Timeout(60000):  # nested: the tighter outer deadline wins
            inner = remaining_s()
            assert inner is not None and inner <= 5.0
        assert remaining_s(1.0) == 1.0
    assert remaining_s() is None
    with pytest.raises(TimeoutError):
        async with Timeout(10):
            await asyncio.Event().wait()
    async with Timeout(0):  # disabled
        assert remaining_s() is None


def test_token_bucket() -> None:
    clock = FakeClock()
    tb = TokenBucket(rate=2, burst=3, clock=clock)
    assert [tb.allow() for _ in range(4)] == [True, True, True, False]
    clock.advance(0.5)  # one token refilled
    assert tb.allow() and not tb.allow()
    clock.advance(100)
    assert tb.allow(3) and not tb.allow()
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)


async def test_redis_token_bucket_is_shared(infra: object) -> None:
    r = aioredis.Redis(host=infra.redis_host, port=infra.redis_port)  # type: ignore[attr-defined]
    key = f"t_resilience:{uuid.uuid4().hex}"
    try:
        a = RedisTokenBucket(r, key, rate=0.001, burst=3)
        b = RedisTokenBucket(r, key, rate=0.001, burst=3)  # a second replica, same key
        results = [await a.allow(), await b.allow(), await a.allow(), await b.allow()]
        assert results == [True, True, True, False]
        assert 0 < await r.ttl(key) <= 3001
    finally:
        await r.delete(key)
        await r.aclose()

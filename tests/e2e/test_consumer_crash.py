"""order-mq survives kill -9 mid-stream: every order ends paid, none is applied twice.

Our own `looklook-order mq` process consumes a private topic/group (the stack's order-rpc
applies the updates). We publish N PaymentStatusMessages plus a duplicate of each,
SIGKILL the consumer while it works, restart it and check each order's final state and
that its ``version`` advanced exactly once (one transition, hence one notify job).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from looklook.mq.kafka import KafkaPublisher, ensure_topic
from looklook.mq.messages import PaymentStatusMessage
from looklook.pb import pb
from looklook.rpc import rpc_client
from looklook.settings import KafkaConf, RpcClientConf
from looklook.testing import free_port, process_settings, running
from looklook_devtools import servicelist
from order.config import RpcSettings
from order.main import RPC

from tests.e2e.conftest import sql

N_ORDERS = 12
RPC_PORT = free_port()


@pytest.fixture
async def order_rpc(infra) -> AsyncIterator[pb.OrderStub]:
    """Our own order-rpc on the stack's database, with upstream's 30-minute close delay
    (the stack's 20 s would race a consumer restart)."""
    services = servicelist.load()
    travel = services.services["travel"].processes["rpc"].port
    redis = {"host": infra.redis_host, "port": infra.redis_port}
    settings = process_settings(
        RpcSettings,
        name="order",
        mysql={
            "host": infra.mysql_host,
            "port": infra.mysql_port,
            "user": infra.mysql_user,
            "password": infra.mysql_password,
            "database": "looklook_order",
        },
        cache=redis,
        redis=redis,
        rpc={"host": "127.0.0.1", "port": RPC_PORT},
        travel_rpc={"endpoint": f"127.0.0.1:{travel}"},
        close_order_delay_s=1800,
    )
    async with running(RPC, settings):
        client = rpc_client(pb.OrderStub, RpcClientConf(endpoint=f"127.0.0.1:{RPC_PORT}"))
        yield client
        client.close()


async def _start_consumer(topic: str, group: str, bootstrap: str) -> subprocess.Popen[bytes]:
    """Start it and wait until it has joined its group (its /readyz turns 200)."""
    ops = free_port()
    proc = _spawn(topic, group, bootstrap, ops)
    deadline = asyncio.get_running_loop().time() + 30
    async with aiohttp.ClientSession() as http:
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"http://127.0.0.1:{ops}/readyz") as resp:
                    if resp.status == 200:
                        return proc
            assert proc.poll() is None, "order mq exited"
            assert asyncio.get_running_loop().time() < deadline, "order mq never joined"
            await asyncio.sleep(0.1)


def _spawn(topic: str, group: str, bootstrap: str, ops: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LOOKLOOK_KAFKA__BROKERS": f"[{bootstrap}]",
        "LOOKLOOK_KAFKA__TOPIC": topic,
        "LOOKLOOK_KAFKA__GROUP": group,
        "LOOKLOOK_ORDER_RPC__ENDPOINT": f"127.0.0.1:{RPC_PORT}",
        "LOOKLOOK_OPS__PORT": str(ops),
        "LOOKLOOK_LOG__LEVEL": "warning",
    }
    exe = Path(sys.executable).parent / "looklook-order"
    return subprocess.Popen([str(exe), "mq"], env=env)  # noqa: S603


async def _versions(infra, sns: list[str]) -> dict[str, tuple[int, int]]:
    marks = ",".join(["%s"] * len(sns))
    rows = await sql(
        infra,
        "looklook_order",
        f"SELECT sn, version, trade_state FROM homestay_order WHERE sn IN ({marks})",
        tuple(sns),
    )
    return {r["sn"]: (r["trade_state"], r["version"]) for r in rows}


async def _until_some_paid(infra, sns: list[str], timeout_s: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not any(state == 1 for state, _ in (await _versions(infra, sns)).values()):
        assert asyncio.get_running_loop().time() < deadline, "the consumer never applied one"
        await asyncio.sleep(0.05)


async def test_kill_9_mid_stream_applies_each_update_once(demo, infra, order_rpc) -> None:
    homestay = await demo.browse()
    topic = f"t_order_crash_{secrets.token_hex(4)}"
    group = f"{topic}_group"
    await ensure_topic([infra.kafka_bootstrap], topic)
    publisher = KafkaPublisher(KafkaConf(brokers=[infra.kafka_bootstrap], topic=topic))
    await publisher.start()
    consumer = await _start_consumer(topic, group, infra.kafka_bootstrap)
    start = int(time.time()) + 86400
    sns = [
        (
            await order_rpc.create_homestay_order(
                pb.CreateHomestayOrderReq(
                    homestay_id=homestay["id"],
                    live_start_time=start,
                    live_end_time=start + 86400,
                    user_id=10**9,
                    live_people_num=1,
                )
            )
        ).sn
        for _ in range(N_ORDERS)
    ]
    try:
        for i, sn in enumerate(sns):
            msg = PaymentStatusMessage(payStatus=1, orderSn=sn).to_bytes()
            await publisher.publish(msg)
            await publisher.publish(msg)  # at-least-once upstream: duplicates happen
            if i == N_ORDERS // 2:
                await _until_some_paid(infra, sns)  # it is consuming: crash it now
                consumer.send_signal(signal.SIGKILL)
                consumer.wait(5)
        consumer = _spawn(topic, group, infra.kafka_bootstrap, free_port())
        deadline = asyncio.get_running_loop().time() + 40
        while True:
            states = await _versions(infra, sns)
            if all(state == 1 for state, _ in states.values()):
                break
            assert asyncio.get_running_loop().time() < deadline, f"not all paid: {states}"
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)  # any late redelivery would show as a second version bump
        assert await _versions(infra, sns) == {sn: (1, 1) for sn in sns}
    finally:
        await publisher.stop()
        if consumer.poll() is None:
            consumer.terminate()
            consumer.wait(10)

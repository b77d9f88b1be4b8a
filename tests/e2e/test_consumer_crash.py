"""order-mq survives kill -9 mid-stream: every order ends paid, none is applied twice.

Our own `looklook-order mq` process consumes a private topic/group (the stack's order-rpc
applies the updates). We publish N PaymentStatusMessages plus a duplicate of each,
SIGKILL the consumer while it works, restart it and check each order's final state and
that its ``version`` advanced exactly once (one transition, hence one notify job).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from looklook.mq.kafka import KafkaPublisher, ensure_topic
from looklook.mq.messages import PaymentStatusMessage
from looklook.settings import KafkaConf
from looklook.testing import free_port
from looklook_devtools import servicelist

from tests.e2e.conftest import sql

N_ORDERS = 12


def _start_consumer(topic: str, group: str, bootstrap: str) -> subprocess.Popen[bytes]:
    services = servicelist.load()
    rpc_port = services.services["order"].processes["rpc"].port
    env = {
        **os.environ,
        "LOOKLOOK_KAFKA__BROKERS": f"[{bootstrap}]",
        "LOOKLOOK_KAFKA__TOPIC": topic,
        "LOOKLOOK_KAFKA__GROUP": group,
        "LOOKLOOK_ORDER_RPC__ENDPOINT": f"127.0.0.1:{rpc_port}",
        "LOOKLOOK_OPS__PORT": str(free_port()),
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


async def test_kill_9_mid_stream_applies_each_update_once(demo, infra) -> None:
    await demo.register()
    homestay = await demo.browse()
    sns = [await demo.create_order(homestay["id"]) for _ in range(N_ORDERS)]
    topic = f"t_order_crash_{secrets.token_hex(4)}"
    group = f"{topic}_group"
    await ensure_topic([infra.kafka_bootstrap], topic)
    publisher = KafkaPublisher(KafkaConf(brokers=[infra.kafka_bootstrap], topic=topic))
    consumer = _start_consumer(topic, group, infra.kafka_bootstrap)
    try:
        for i, sn in enumerate(sns):
            msg = PaymentStatusMessage(payStatus=1, orderSn=sn).to_bytes()
            await publisher.publish(msg)
            await publisher.publish(msg)  # at-least-once upstream: duplicates happen
            if i == N_ORDERS // 2:
                await _until_some_paid(infra, sns)  # it is consuming: crash it now
                consumer.send_signal(signal.SIGKILL)
                consumer.wait(5)
        consumer = _start_consumer(topic, group, infra.kafka_bootstrap)
        deadline = asyncio.get_running_loop().time() + 60
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

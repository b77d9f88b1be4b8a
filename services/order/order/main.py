"""``looklook-order api|rpc|mq|migrate [-f CONFIG]``: what each process is made of."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
from aiokafka.errors import KafkaError
from looklook.jobs import JobClient
from looklook.mq.kafka import KafkaConsumerGroup
from looklook.pb import pb
from looklook.service import ApiProcess, Process, RpcProcess, WorkerProcess, cli
from looklook.web import create_app

from order.api import handlers, routes
from order.config import ApiSettings, MqSettings, RpcSettings
from order.logic.orderapi import OrderApi
from order.logic.orders import Orders
from order.models import HomestayOrderModel
from order.mq.payment_status import PaymentStatusHandler
from order.rpc.server import OrderServer

SERVICE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = SERVICE_DIR / "etc" / "order.yaml"
MIGRATIONS = SERVICE_DIR / "migrations"

log = logging.getLogger(__name__)


async def build_api(proc: Process) -> web.Application:
    s: ApiSettings = proc.settings
    app = create_app(name=f"{s.name}-api", http=s.api, routes=routes.ROUTES, jwt=s.jwt)
    app[handlers.ORDER_API] = OrderApi(
        proc.rpc_client(pb.OrderStub, s.order_rpc),
        proc.rpc_client(pb.TravelStub, s.travel_rpc),
        proc.rpc_client(pb.PaymentStub, s.payment_rpc),
    )
    return app


async def build_rpc(proc: Process) -> Sequence[object]:
    s: RpcSettings = proc.settings
    db = await proc.database(s.mysql)
    cache = await proc.cache(s.cache)
    jobs = JobClient(s.redis, s.jobs.options())
    await jobs.start()
    proc.lc.on_close(jobs.close)
    travel = proc.rpc_client(pb.TravelStub, s.travel_rpc)
    orders = Orders(HomestayOrderModel(db, cache), travel, jobs, s.close_order_delay_s)
    return [OrderServer(orders)]


async def _join(consumer: KafkaConsumerGroup, joined: asyncio.Event) -> None:
    """Join the group, retrying while Kafka is unreachable (it may start after us)."""
    delay = 0.5
    while True:
        try:
            await consumer.start()
        except KafkaError as exc:
            log.warning("kafka not reachable (%s), retry in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
            continue
        joined.set()
        return


async def build_mq(proc: Process) -> None:
    s: MqSettings = proc.settings
    handler = PaymentStatusHandler(proc.rpc_client(pb.OrderStub, s.order_rpc))
    consumer = KafkaConsumerGroup(s.kafka, handler)
    joined = asyncio.Event()
    task = asyncio.create_task(_join(consumer, joined), name="order-mq-join")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if joined.is_set():
            await consumer.stop()

    async def ready() -> None:
        if not joined.is_set():
            raise RuntimeError("not joined to the consumer group yet")

    proc.lc.on_close(stop)
    proc.readiness["kafka"] = ready


API = ApiProcess(ApiSettings, "api", build_api)
RPC = RpcProcess(RpcSettings, "rpc", build_rpc)
MQ = WorkerProcess(MqSettings, build_mq)


def main() -> None:
    cli(
        "order",
        default_config=DEFAULT_CONFIG,
        processes={"api": API, "rpc": RPC, "mq": MQ},
        migrations=MIGRATIONS,
    )


if __name__ == "__main__":
    main()

"""``looklook-order api|rpc|mq|migrate [-f CONFIG]``: what each process is made of."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
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


async def build_mq(proc: Process) -> None:
    s: MqSettings = proc.settings
    handler = PaymentStatusHandler(proc.rpc_client(pb.OrderStub, s.order_rpc))
    consumer = KafkaConsumerGroup(s.kafka, handler)
    await consumer.start()
    proc.lc.on_close(consumer.stop)


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

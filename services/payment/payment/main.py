"""``looklook-payment api|rpc|migrate [-f CONFIG]``: what each process is made of."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
from looklook.mq.kafka import KafkaPublisher, ensure_topic
from looklook.mq.outbox import OutboxRelay
from looklook.pb import pb
from looklook.service import ApiProcess, Process, RpcProcess, cli
from looklook.web import create_app
from looklook.wechat.pay import WxPayClient

from payment.api import handlers, routes
from payment.config import ApiSettings, RpcSettings
from payment.logic.payments import Payments
from payment.logic.wxpay import Peers, WxPay
from payment.models import ThirdPaymentModel
from payment.rpc.server import PaymentServer

SERVICE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = SERVICE_DIR / "etc" / "payment.yaml"
MIGRATIONS = SERVICE_DIR / "migrations"

log = logging.getLogger(__name__)


async def build_api(proc: Process) -> web.Application:
    s: ApiSettings = proc.settings
    app = create_app(name=f"{s.name}-api", http=s.api, routes=routes.ROUTES, jwt=s.jwt)
    peers = Peers(
        payment=proc.rpc_client(pb.PaymentStub, s.payment_rpc),
        order=proc.rpc_client(pb.OrderStub, s.order_rpc),
        usercenter=proc.rpc_client(pb.UsercenterStub, s.usercenter_rpc),
    )
    client = WxPayClient(s.wx_pay, await proc.http_client())
    app[handlers.WX_PAY] = WxPay(peers, client, s.wx_mini.app_id)
    return app


async def _dev_topic(s: RpcSettings) -> None:
    """Outside production nobody manages topics for us: create ours if missing."""
    if s.mode == "pro":
        return
    try:
        await ensure_topic(s.kafka.brokers, s.kafka.topic)
    except Exception as exc:  # noqa: BLE001 - the relay retries; a missing topic shows there
        log.warning("could not ensure topic %s: %s", s.kafka.topic, exc)


async def build_rpc(proc: Process) -> Sequence[object]:
    s: RpcSettings = proc.settings
    db = await proc.database(s.mysql)
    cache = await proc.cache(s.cache)
    await _dev_topic(s)
    publisher = KafkaPublisher(s.kafka)
    relay = OutboxRelay(db, publisher, s.outbox_poll_s)
    relay.start()
    proc.lc.on_close(publisher.stop)
    proc.lc.on_close(relay.stop)  # runs first: stop relaying, then disconnect
    return [PaymentServer(Payments(db, ThirdPaymentModel(db, cache), s.kafka.topic))]


API = ApiProcess(ApiSettings, "api", build_api)
RPC = RpcProcess(RpcSettings, "rpc", build_rpc)


def main() -> None:
    cli(
        "payment",
        default_config=DEFAULT_CONFIG,
        processes={"api": API, "rpc": RPC},
        migrations=MIGRATIONS,
    )


if __name__ == "__main__":
    main()

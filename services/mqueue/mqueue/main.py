"""``looklook-mqueue job|scheduler|dashboard [-f CONFIG]``: what each process is made of."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from looklook.jobs import build_broker, schedule_source
from looklook.jobs.policy import SchedulePolicy
from looklook.jobs.runtime import run_scheduler, run_worker
from looklook.lifecycle import Lifecycle
from looklook.ops import Check, OpsServer
from looklook.pb import pb
from looklook.rpc import close_client, rpc_client
from looklook.service import cli
from looklook.wechat.miniprogram import WxMiniClient, miniprogram_state
from redis.asyncio import Redis
from taskiq import TaskiqScheduler

from mqueue.config import DashboardSettings, JobSettings, SchedulerSettings
from mqueue.dashboard import DashboardServer, dashboard_app
from mqueue.logic.notify_pay_success import NotifyPaySuccess
from mqueue.scheduler import register_static
from mqueue.worker import Deps, register_tasks

SERVICE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = SERVICE_DIR / "etc" / "mqueue.yaml"


async def _serve_loop(lc: Lifecycle, ops_conf: Any, redis_url: str,
                      loop: Coroutine[Any, Any, None],
                      checks: Mapping[str, Check] | None = None) -> None:
    """Run ``loop`` with an ops server (ready while Redis and ``checks`` answer) until
    shutdown."""
    redis = Redis.from_url(redis_url)
    lc.on_close(redis.aclose)

    async def redis_ready() -> None:
        await redis.ping()

    ops = OpsServer(ops_conf, {"redis": redis_ready, **(checks or {})})
    await ops.start()
    lc.on_close(ops.stop)
    task = asyncio.create_task(loop)

    async def stop_loop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    lc.on_close(stop_loop)  # closed first: stop taking work, then clients
    stopper = asyncio.create_task(lc.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if task.done():
        task.result()  # the loop died: surface why


async def job_main(s: JobSettings, lc: Lifecycle, **_: Any) -> None:
    order = rpc_client(pb.OrderStub, s.order_rpc)
    payment = rpc_client(pb.PaymentStub, s.payment_rpc)
    usercenter = rpc_client(pb.UsercenterStub, s.usercenter_rpc)
    http = aiohttp.ClientSession()
    lc.on_close(http.close)
    for client in (order, payment, usercenter):
        lc.on_close(_closer(client))
    broker = build_broker(s.redis, s.jobs.options())
    notify = NotifyPaySuccess(usercenter, WxMiniClient(http, s.wx_mini),
                              state=miniprogram_state(s.mode),
                              attempts=s.notify.attempts, wait_s=s.notify.wait_s)
    register_tasks(broker, Deps(order=order, payment=payment, notify=notify))
    # The policy also records each admitted cron run for the operator's status.lastRun.
    policy = SchedulePolicy(s.redis.url, lock_ttl_s=s.jobs.forbid_lock_ttl_s)
    worker = run_worker(broker, concurrency=s.jobs.concurrency, policy=policy)
    await _serve_loop(lc, s.ops, s.redis.url, worker)


def _closer(client: object) -> Callable[[], Awaitable[None]]:
    async def close() -> None:
        close_client(client)

    return close


async def scheduler_main(s: SchedulerSettings, lc: Lifecycle, **_: Any) -> None:
    options = s.jobs.options()
    source = schedule_source(s.redis, options)
    await register_static(source, s.static_schedules)
    broker = build_broker(s.redis, options, source)
    loop = run_scheduler(broker, source, update_interval_s=s.update_interval_s)
    await _serve_loop(lc, s.ops, s.redis.url, loop)


async def dashboard_main(s: DashboardSettings, lc: Lifecycle, **_: Any) -> None:
    options = s.jobs.options()
    broker = build_broker(s.redis, options)
    scheduler = TaskiqScheduler(broker, [schedule_source(s.redis, options)])
    app = dashboard_app(s.dashboard, broker, scheduler)
    server = DashboardServer(app, s.dashboard.host, s.dashboard.port)
    await _serve_loop(lc, s.ops, s.redis.url, server.serve(), {"dashboard": server.ping})


@dataclass(frozen=True)
class LoopProcess:
    """A long-running background process (no HTTP/gRPC API of its own)."""

    settings_type: type
    main: Callable[..., Awaitable[None]]


JOB = LoopProcess(JobSettings, job_main)
SCHEDULER = LoopProcess(SchedulerSettings, scheduler_main)
DASHBOARD = LoopProcess(DashboardSettings, dashboard_main)


def main() -> None:
    cli(
        "mqueue",
        default_config=DEFAULT_CONFIG,
        processes={"job": JOB, "scheduler": SCHEDULER, "dashboard": DASHBOARD},
    )


if __name__ == "__main__":
    main()

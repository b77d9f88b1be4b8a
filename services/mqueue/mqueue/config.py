"""Settings of mqueue's processes, all read from etc/mqueue.yaml (keys.md)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from looklook.jobs import JobsOptions, RetryPolicy
from looklook.settings import ConfModel, ProcessSettings, RedisConf, RpcClientConf
from looklook.wechat.miniprogram import WxMiniConf
from pydantic import Field

__all__ = ["DashboardSettings", "JobSettings", "SchedulerSettings", "StaticSchedule"]


class JobsConf(ConfModel):
    """Job-system tunables; production defaults are asynq's."""

    concurrency: int = Field(default=20, ge=1)
    max_retry: int = Field(default=25, ge=0)
    #: multiplies asynq's retry delay; tests shrink it.
    retry_delay_scale: float = Field(default=1.0, gt=0)
    claim_idle_s: float = Field(default=1860.0, gt=0)
    #: TTL of a ScheduledJob's Forbid lock; a heartbeat extends it while the run lasts,
    #: so this is only how long a crashed worker's lock outlives it.
    forbid_lock_ttl_s: float = Field(default=60.0, gt=0)
    #: prefix for the queue and schedule keys; empty in every deployment (the operator
    #: and order-rpc use the default keys), set only by tests sharing one Redis.
    namespace: str = ""

    def options(self) -> JobsOptions:
        retry = RetryPolicy(max_retry=self.max_retry, delay_scale=self.retry_delay_scale)
        opts = JobsOptions(retry=retry, claim_idle_s=self.claim_idle_s)
        if self.namespace:
            opts = replace(opts, schedule_prefix=f"{self.namespace}:{opts.schedule_prefix}",
                           stream_key=f"{self.namespace}:{opts.stream_key}")
        return opts


class NotifyConf(ConfModel):
    """WeChat subscribe-message sending: upstream waits 1 s before each of 7 attempts."""

    attempts: int = Field(default=7, ge=1)
    wait_s: float = Field(default=1.0, ge=0)


class StaticSchedule(ConfModel):
    """A cron entry the scheduler registers at start (local stack; k8s uses the operator)."""

    id: str = Field(min_length=1)
    task: str = Field(min_length=1)
    cron: str
    tz: str = "Asia/Shanghai"


class JobSettings(ProcessSettings):
    """mqueue-job: the worker running upstream's three task types."""

    redis: RedisConf
    order_rpc: RpcClientConf
    #: asked by the close job before cancelling (a paid order is never cancelled).
    payment_rpc: RpcClientConf
    usercenter_rpc: RpcClientConf
    wx_mini: WxMiniConf
    jobs: JobsConf = JobsConf()
    notify: NotifyConf = NotifyConf()


class SchedulerSettings(ProcessSettings):
    """mqueue-scheduler: moves due delayed jobs and cron ticks onto the queue."""

    redis: RedisConf
    jobs: JobsConf = JobsConf()
    update_interval_s: float = Field(default=5.0, gt=0)
    static_schedules: list[StaticSchedule] = []


def _default_dashboard_db() -> str:
    """The dashboard's own task history: a scratch SQLite file, not the working
    directory (read-only /app in the image, the repository locally)."""
    return f"sqlite+aiosqlite:///{Path(tempfile.gettempdir()) / 'looklook-mqueue-dashboard.db'}"


class DashboardConf(ConfModel):
    host: str = "0.0.0.0"
    port: int = Field(default=8980, ge=1, le=65535)
    #: token for the dashboard's /api/ (header ``access-token``); empty = API closed.
    api_token: str = ""
    database_dsn: str = Field(default_factory=_default_dashboard_db)


class DashboardSettings(ProcessSettings):
    """mqueue-dashboard: taskiq-dashboard where upstream runs asynqmon."""

    redis: RedisConf
    jobs: JobsConf = JobsConf()
    dashboard: DashboardConf = DashboardConf()

"""Settings of order's processes, all read from etc/order.yaml (keys.md)."""

from __future__ import annotations

from looklook.jobs import SCHEDULE_PREFIX, STREAM_KEY, JobsOptions
from looklook.settings import (
    ConfModel,
    HttpConf,
    JwtConf,
    KafkaConf,
    MySQLConf,
    ProcessSettings,
    RedisConf,
    RpcClientConf,
    RpcServerConf,
)
from pydantic import Field

__all__ = ["ApiSettings", "JobsQueueConf", "MqSettings", "RpcSettings"]


class JobsQueueConf(ConfModel):
    """Where jobs go; only tests move them, to isolate parallel runs."""

    stream_key: str = STREAM_KEY
    schedule_prefix: str = SCHEDULE_PREFIX

    def options(self) -> JobsOptions:
        return JobsOptions(stream_key=self.stream_key, schedule_prefix=self.schedule_prefix)


class ApiSettings(ProcessSettings):
    """order-api: HTTP with JWT, calls order-, travel- and payment-rpc."""

    jwt: JwtConf
    api: HttpConf
    order_rpc: RpcClientConf
    travel_rpc: RpcClientConf
    payment_rpc: RpcClientConf


class RpcSettings(ProcessSettings):
    """order-rpc: owns looklook_order, enqueues the close and notify jobs."""

    mysql: MySQLConf
    cache: RedisConf
    redis: RedisConf
    rpc: RpcServerConf
    travel_rpc: RpcClientConf
    jobs: JobsQueueConf = JobsQueueConf()
    #: upstream closes unpaid orders after 30 minutes; the local stack uses 20 s.
    close_order_delay_s: float = Field(default=1800, gt=0)


class MqSettings(ProcessSettings):
    """order-mq: consumes payment status updates from Kafka, applies them via order-rpc."""

    kafka: KafkaConf
    order_rpc: RpcClientConf

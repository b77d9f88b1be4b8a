"""Settings of the operator process (``services/operator/etc/operator.yaml`` + env)."""

from __future__ import annotations

from looklook.settings import ConfModel, ProcessSettings, RedisConf
from pydantic import Field


class KafkaAdminConf(ConfModel):
    """The Kafka cluster whose topics KafkaTopic resources manage."""

    brokers: list[str] = Field(min_length=1)
    request_timeout_ms: int = Field(default=10000, gt=0)


class ReconcileConf(ConfModel):
    """How often timers re-check the real world, in seconds."""

    topic_check_s: float = Field(default=60.0, gt=0)
    schedule_check_s: float = Field(default=30.0, gt=0)
    #: first retry delay after a broker/Redis error; doubles per retry up to max.
    backoff_s: float = Field(default=5.0, gt=0)
    backoff_max_s: float = Field(default=300.0, gt=0)


class OperatorSettings(ProcessSettings):
    """Everything ``looklook-operator operator`` needs."""

    kafka: KafkaAdminConf
    redis: RedisConf = RedisConf()
    reconcile: ReconcileConf = ReconcileConf()
    #: namespaces to watch; empty = the whole cluster (needs the ClusterRole).
    namespaces: list[str] = Field(default_factory=list)
    #: kopf's liveness probe endpoint (the Deployment's livenessProbe points here).
    liveness: str = "http://0.0.0.0:8080/healthz"
    #: kopf peering object for leader election; "" = no peering (single replica).
    peering: str = ""

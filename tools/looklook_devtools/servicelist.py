"""Typed view of `services.yaml`, the one list of services, processes and ports.

The local stack, the gateway generator and the delivery tests all read the file through
this module so that there is exactly one interpretation of it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES_FILE = REPO_ROOT / "services.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Process(_Strict):
    kind: Literal["http", "grpc", "worker", "ui"]
    ops: int = Field(ge=1, le=65535)
    port: int | None = Field(default=None, ge=1, le=65535)
    local: bool = True


class Service(_Strict):
    processes: dict[str, Process]
    database: str | None = None
    route: str | None = None
    protected: list[str] = []
    optional_auth: list[str] = []

    def process(self, kind: str) -> tuple[str, Process] | None:
        """The first process of a kind (`http`, `grpc`), if the service has one."""
        return next(((n, p) for n, p in self.processes.items() if p.kind == kind), None)


class GatewayAuth(_Strict):
    service: str
    path: str


class Gateway(_Strict):
    port: int
    auth: GatewayAuth


class Infra(_Strict):
    mysql: dict[str, str | int]
    redis: dict[str, str | int]
    kafka: dict[str, str]
    wechat_sandbox: dict[str, int]


class ServiceList(_Strict):
    gateway: Gateway
    infra: Infra
    services: dict[str, Service]

    def processes(self) -> list[tuple[str, str, Process]]:
        """Every (service, process name, process) in file order."""
        return [(s, n, p) for s, svc in self.services.items() for n, p in svc.processes.items()]

    def rpc_endpoint(self, service: str, host: str = "127.0.0.1") -> str:
        found = self.services[service].process("grpc")
        if found is None:
            raise KeyError(f"service {service!r} has no gRPC process")
        return f"{host}:{found[1].port}"


def load(path: Path = SERVICES_FILE) -> ServiceList:
    return ServiceList.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def default() -> ServiceList:
    return load()

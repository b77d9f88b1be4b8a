"""The service list as the delivery tests see it, plus the delivery files they check.

One loader (looklook_devtools.servicelist, which the local stack uses too) so every test
agrees on what services.yaml says; this module adds the delivery-side paths and the
flat (service, process) view the checks iterate over.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from looklook.testing import shared_dir
from looklook_devtools import servicelist as _sl

REPO_ROOT = _sl.REPO_ROOT
CHART = REPO_ROOT / "charts" / "looklook"
LIB_CHART = REPO_ROOT / "charts" / "looklook-lib"
ENVIRONMENTS = ("dev", "staging", "prod")
SKAFFOLD = REPO_ROOT / "skaffold.yaml"
K8S = REPO_ROOT / "k8s"
SCHEMAS = shared_dir("schemas")

ServiceList = _sl.ServiceList
Service = _sl.Service
Process = _sl.Process


@dataclass(frozen=True)
class ProcessRef:
    """One process of one service, e.g. order/mq."""

    service: str
    name: str
    process: Process

    @property
    def id(self) -> str:
        return f"{self.service}-{self.name}"


def load() -> ServiceList:
    return _sl.load(REPO_ROOT / "services.yaml")


def processes(services: ServiceList | None = None) -> list[ProcessRef]:
    services = services or load()
    return [ProcessRef(s, n, p) for s, n, p in services.processes()]


def image_name(service: str) -> str:
    """Image (and skaffold artifact) name of a service."""
    return f"looklook-{service}"


def env_values_file(env: str) -> Path:
    return CHART / f"values-{env}.yaml"

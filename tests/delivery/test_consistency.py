"""services.yaml is the one list: every delivery file must agree with it.

Each check is a function `(ServiceList) -> list[str]` of problems, registered with
`@check`; the single parametrised test runs them all. To add a check (CI files, ...),
write one more decorated function here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from looklook_devtools import dockerfiles

from tests.delivery import servicelist as sl

Check = Callable[[sl.ServiceList], list[str]]
CHECKS: dict[str, Check] = {}


def check(fn: Check) -> Check:
    CHECKS[fn.__name__.removeprefix("check_")] = fn
    return fn


def _values() -> dict:
    return yaml.safe_load((sl.CHART / "values.yaml").read_text())


@check
def check_images(services: sl.ServiceList) -> list[str]:
    """Every service renders a Dockerfile whose entrypoint is its console script."""
    problems = []
    for name in services.services:
        text = dockerfiles.render(name)
        if f'ENTRYPOINT ["looklook-{name}"]' not in text:
            problems.append(f"{name}: rendered Dockerfile has no looklook-{name} entrypoint")
        etc = sl.REPO_ROOT / "services" / name / "etc" / f"{name}.yaml"
        if not etc.is_file():
            problems.append(f"{name}: the image copies {etc}, which does not exist")
        pyproject = sl.REPO_ROOT / "services" / name / "pyproject.toml"
        if f'looklook-{name} = "' not in pyproject.read_text():
            problems.append(f"{name}: {pyproject} declares no looklook-{name} console script")
    return problems


@check
def check_chart_values(services: sl.ServiceList) -> list[str]:
    """Every service and process has a values entry with the same kind and ports."""
    values = _values()["services"]
    problems = [
        f"values.yaml has {s!r}, services.yaml does not"
        for s in set(values) - set(services.services)
    ]
    for ref in sl.processes(services):
        entry = values.get(ref.service, {}).get("processes", {}).get(ref.name)
        if entry is None:
            problems.append(f"{ref.id}: no entry in charts/looklook/values.yaml")
            continue
        want = {"kind": ref.process.kind, "port": ref.process.port, "ops": ref.process.ops}
        got = {k: entry.get(k) for k in want}
        if got != want:
            problems.append(f"{ref.id}: values {got} != services.yaml {want}")
    for name, svc in services.services.items():
        entry = values.get(name, {})
        if entry.get("database") != svc.database:
            problems.append(f"{name}: values database {entry.get('database')} != {svc.database}")
        extra = set(entry.get("processes", {})) - set(svc.processes)
        problems += [f"{name}/{p}: in values.yaml, not in services.yaml" for p in sorted(extra)]
    return problems


@check
def check_routes(services: sl.ServiceList) -> list[str]:
    """Every routed service has its prefix and protected paths in the chart's values,
    and the Ingress external auth points at the gateway's auth endpoint."""
    values = _values()
    problems = []
    for name, svc in services.services.items():
        entry = values["services"].get(name, {})
        if entry.get("route") != svc.route:
            problems.append(f"{name}: values route {entry.get('route')} != {svc.route}")
        if sorted(entry.get("protected") or []) != sorted(svc.protected):
            problems.append(f"{name}: values protected {entry.get('protected')} != {svc.protected}")
        if svc.route and svc.process("http") is None:
            problems.append(f"{name}: has a route but no http process to serve it")
    auth = values["ingress"]["auth"]
    gw = services.gateway.auth
    if (auth["service"], auth["path"]) != (gw.service, gw.path):
        problems.append(f"ingress.auth {auth} != services.yaml gateway.auth {gw}")
    return problems


@check
def check_skaffold_artifacts(services: sl.ServiceList) -> list[str]:
    """Every service has a skaffold artifact built from its rendered Dockerfile."""
    config = yaml.safe_load(sl.SKAFFOLD.read_text())
    artifacts = {a["image"]: a for a in config["build"]["artifacts"]}
    problems = []
    for name in services.services:
        art = artifacts.get(sl.image_name(name))
        if art is None:
            problems.append(f"{name}: no skaffold artifact {sl.image_name(name)}")
        elif art.get("docker", {}).get("dockerfile") != f"build/docker/{name}.Dockerfile":
            problems.append(f"{name}: artifact does not build build/docker/{name}.Dockerfile")
    extra = set(artifacts) - {sl.image_name(n) for n in services.services}
    return problems + [f"skaffold artifact {a} has no service" for a in sorted(extra)]


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_consistent_with_services_yaml(name: str) -> None:
    problems = CHECKS[name](sl.load())
    assert not problems, "\n".join(problems)

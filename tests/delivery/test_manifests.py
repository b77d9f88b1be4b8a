"""Kubernetes objects, validated offline: what the chart renders (per environment) and
the static manifests in k8s/, against the Kubernetes OpenAPI schemas and CRD schemas."""

from __future__ import annotations

import subprocess
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.delivery import crdschema
from tests.delivery import servicelist as sl

K8S_VERSION = kubernetes_validate.latest_version()
SERVICEMONITOR = crdschema.crd_validator(sl.SCHEMAS / "servicemonitor-crd.yaml", "v1")
APPLICATION = crdschema.crd_validator(sl.SCHEMAS / "application-crd.yaml", "v1alpha1")
# Custom resources are checked against their CRD: the shared ones and the repo's own.
CUSTOM = crdschema.registry(
    [
        *sl.SCHEMAS.glob("*-crd.yaml"),
        *(sl.CHART / "crds").glob("*.yaml"),
        *(sl.K8S / "crds").glob("*.yaml"),
    ]
)
ENVS = ["default", *sl.ENVIRONMENTS]


def _validate(obj: dict[str, Any]) -> list[str]:
    custom = CUSTOM.get((obj["apiVersion"], obj["kind"]))
    if custom is not None:
        return crdschema.errors(custom, obj)
    try:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return [str(exc)]
    return []


def _by_kind(objs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


@pytest.mark.parametrize("env", ENVS)
def test_rendered_objects_validate(env: str, rendered: dict) -> None:
    problems = [
        f"{o['kind']}/{o['metadata']['name']}: {p}" for o in rendered[env] for p in _validate(o)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("env", ENVS)
def test_every_process_is_deployed_hardened(env: str, rendered: dict) -> None:
    deployments = _by_kind(rendered[env], "Deployment")
    services = _by_kind(rendered[env], "Service")
    for ref in sl.processes():
        if ref.service == "operator":
            continue  # rendered by the operator's own templates
        name = f"test-release-{ref.id}"
        assert name in deployments and name in services, name
        pod = deployments[name]["spec"]["template"]["spec"]
        (c,) = pod["containers"]
        assert c["args"][0] == ref.name
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        assert ports["ops"] == ref.process.ops
        if ref.process.port:
            assert ref.process.port in ports.values()
        assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "ops"}
        assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "ops"}
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        sc = c["securityContext"]
        assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"]
        assert sc["capabilities"]["drop"] == ["ALL"]
        assert {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"]
        assert c["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"
        assert pod["terminationGracePeriodSeconds"] > int(
            c["lifecycle"]["preStop"]["exec"]["command"][1]
        )
        assert "limits" in c["resources"] and "requests" in c["resources"]
        for env_var in c["env"]:
            assert "value" in env_var or "secretKeyRef" in env_var["valueFrom"], env_var
            if env_var["name"].endswith(("PASSWORD", "SECRET", "KEY")):
                assert "valueFrom" in env_var, f"{name}: {env_var['name']} must come from a Secret"


def test_rpc_peers_and_network_policy_follow_call_matrix(rendered: dict) -> None:
    """order-api may reach order/travel/payment RPCs; travel-rpc accepts order-api,
    order-rpc and travel-api, nothing else (grpc.md §6)."""
    objs = rendered["default"]
    env = {
        e["name"]: e.get("value")
        for e in _by_kind(objs, "Deployment")["test-release-order-api"]["spec"]["template"]["spec"][
            "containers"
        ][0]["env"]
    }
    assert env["LOOKLOOK_TRAVEL_RPC__ENDPOINT"] == "test-release-travel-rpc:2003"
    assert env["LOOKLOOK_PAYMENT_RPC__ENDPOINT"] == "test-release-payment-rpc:2002"
    policies = _by_kind(objs, "NetworkPolicy")
    travel_rpc = policies["test-release-travel-rpc"]["spec"]
    grpc_rule = next(r for r in travel_rpc["ingress"] if r["ports"][0]["port"] == "grpc")
    callers = {
        (
            p["podSelector"]["matchLabels"]["app.kubernetes.io/name"],
            p["podSelector"]["matchLabels"]["app.kubernetes.io/component"],
        )
        for p in grpc_rule["from"]
    }
    assert callers == {("order", "api"), ("order", "rpc"), ("travel", "api")}
    usercenter_rpc = policies["test-release-usercenter-rpc"]["spec"]
    assert not any(r["ports"][0]["port"] == "http" for r in usercenter_rpc["ingress"])
    order_api = policies["test-release-order-api"]["spec"]
    nginx = next(r for r in order_api["ingress"] if r["ports"][0]["port"] == "http")
    assert nginx["from"][0]["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }


def test_ingresses_mirror_the_gateway(rendered: dict) -> None:
    services = sl.load()
    ingresses = _by_kind(rendered["default"], "Ingress")
    protected, public = ingresses["test-release-protected"], ingresses["test-release-public"]
    notes = protected["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/auth-url"].endswith(":1004/usercenter/v1/auth/verify")
    assert notes["nginx.ingress.kubernetes.io/auth-response-headers"] == "X-User-Id"
    paths = lambda ing: {p["path"]: p["pathType"] for p in ing["spec"]["rules"][0]["http"]["paths"]}  # noqa: E731
    want_protected = {p: "Exact" for s in services.services.values() for p in s.protected}
    assert paths(protected) == want_protected
    assert paths(public) == {s.route: "Prefix" for s in services.services.values() if s.route}
    assert "nginx.ingress.kubernetes.io/auth-url" not in public["metadata"]["annotations"]


def test_migration_hooks_for_database_services(rendered: dict) -> None:
    jobs = _by_kind(rendered["default"], "Job")
    want = {f"test-release-{n}-migrate" for n, s in sl.load().services.items() if s.database}
    assert set(jobs) == want
    for job in jobs.values():
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert job["spec"]["template"]["spec"]["containers"][0]["args"][0] == "migrate"


def test_environment_shapes(rendered: dict) -> None:
    assert not _by_kind(rendered["dev"], "ServiceMonitor")
    assert not _by_kind(rendered["dev"], "HorizontalPodAutoscaler")
    prod_hpa = _by_kind(rendered["prod"], "HorizontalPodAutoscaler")
    assert "test-release-order-api" in prod_hpa
    assert "test-release-mqueue-scheduler" not in prod_hpa  # a singleton never scales
    scheduler = _by_kind(rendered["prod"], "Deployment")["test-release-mqueue-scheduler"]
    assert (
        scheduler["spec"]["replicas"] == 1 and scheduler["spec"]["strategy"]["type"] == "Recreate"
    )
    assert _by_kind(rendered["prod"], "ServiceMonitor")


def _static_objects() -> list[dict[str, Any]]:
    out = subprocess.run(
        ["kubectl", "kustomize", str(sl.K8S)], capture_output=True, text=True, check=True
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def test_static_manifests_validate() -> None:
    objs = _static_objects()
    kinds = {o["kind"] for o in objs}
    assert {"Namespace", "Application"} <= kinds
    problems = [f"{o['kind']}/{o['metadata']['name']}: {p}" for o in objs for p in _validate(o)]
    assert not problems, "\n".join(problems)


def test_argocd_applications_sync_the_chart_per_environment() -> None:
    apps = {o["metadata"]["name"]: o for o in _static_objects() if o["kind"] == "Application"}
    assert set(apps) == {f"looklook-{env}" for env in sl.ENVIRONMENTS}
    for env in sl.ENVIRONMENTS:
        source = apps[f"looklook-{env}"]["spec"]["source"]
        assert source["path"] == "charts/looklook"
        assert source["helm"]["valueFiles"] == [f"values-{env}.yaml"]
        assert sl.env_values_file(env).is_file()


def test_crd_validation_catches_errors() -> None:
    """The CRD validators are not vacuous: a malformed object is reported."""
    bad = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {"name": "x"},
        "spec": {"endpoints": [{"port": 1}], "selector": {}},
    }
    assert crdschema.errors(SERVICEMONITOR, bad)
    app = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "x"},
        "spec": {"destination": {}, "project": 1},
    }
    assert crdschema.errors(APPLICATION, app)

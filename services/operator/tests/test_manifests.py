"""The CRDs, examples, raw manifests and chart objects of the operator, checked offline.

CRDs and Kubernetes objects go through kubernetes-validate (the API server's OpenAPI);
custom resources go through the CRD's own openAPIV3Schema with jsonschema (the
``x-kubernetes-*`` keys are API-server extensions jsonschema does not know).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
CRDS = REPO / "k8s" / "crds"
CHART_CRDS = REPO / "charts" / "looklook" / "crds"
EXAMPLES = REPO / "k8s" / "examples"
K8S_VERSION = "1.32.0"


def _load_all(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _crd(kind: str) -> dict[str, Any]:
    return next(
        c
        for p in sorted(CRDS.glob("*.yaml"))
        for c in _load_all(p)
        if c["spec"]["names"]["kind"] == kind
    )


def _strip_k8s(node: Any) -> Any:
    """A plain JSON schema: drop the API server's x-kubernetes-* keys."""
    if isinstance(node, dict):
        return {k: _strip_k8s(v) for k, v in node.items() if not k.startswith("x-kubernetes-")}
    if isinstance(node, list):
        return [_strip_k8s(v) for v in node]
    return node


def _schema(kind: str) -> dict[str, Any]:
    return _strip_k8s(_crd(kind)["spec"]["versions"][0]["schema"]["openAPIV3Schema"])


def _check(obj: dict[str, Any]) -> None:
    jsonschema.validate(obj, _schema(obj["kind"]))


@pytest.mark.parametrize("path", sorted(CRDS.glob("*.yaml")), ids=lambda p: p.name)
def test_crd_is_a_valid_v1_crd(path: Path) -> None:
    for doc in _load_all(path):
        assert doc["apiVersion"] == "apiextensions.k8s.io/v1"
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        version = doc["spec"]["versions"][0]
        assert version["subresources"] == {"status": {}}
        assert {c["name"] for c in version["additionalPrinterColumns"]} >= {"Ready", "Age"}
        _assert_structural(version["schema"]["openAPIV3Schema"], "openAPIV3Schema")


def _assert_structural(node: dict[str, Any], where: str) -> None:
    """Structural schema: every node states its type unless it preserves unknown fields."""
    if not node.get("x-kubernetes-preserve-unknown-fields") and not node.get(
        "x-kubernetes-int-or-string"
    ):
        assert "type" in node, f"{where} has no type"
    for name, child in node.get("properties", {}).items():
        _assert_structural(child, f"{where}.{name}")
    if isinstance(node.get("items"), dict):
        _assert_structural(node["items"], f"{where}[]")


def test_chart_crds_are_the_same_files() -> None:
    for path in CRDS.glob("*.yaml"):
        assert (CHART_CRDS / path.name).read_text() == path.read_text(), path.name
    assert {p.name for p in CHART_CRDS.glob("*.yaml")} == {p.name for p in CRDS.glob("*.yaml")}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_match_their_crd(path: Path) -> None:
    for doc in _load_all(path):
        _check(doc)


def _topic(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "looklook.dev/v1alpha1",
        "kind": "KafkaTopic",
        "metadata": {"name": "t"},
        "spec": spec,
    }


def _job(**spec: Any) -> dict[str, Any]:
    base = {"schedule": "*/1 * * * *", "task": "schedule:settle_record:settle"}
    return {
        "apiVersion": "looklook.dev/v1alpha1",
        "kind": "ScheduledJob",
        "metadata": {"name": "j"},
        "spec": {**base, **spec},
    }


@pytest.mark.parametrize(
    "obj",
    [
        _topic(partitions=0),
        _topic(replicas=0),
        _topic(deletionPolicy="Forget"),
        _topic(topicName="bad name!"),
        _topic(config="retention.ms=1"),
        _job(schedule="every minute"),
        _job(schedule="* * * *"),
        _job(schedule="* * * * * *"),
        _job(concurrencyPolicy="Replace"),
        _job(startingDeadlineSeconds=0),
        _job(task=""),
        _job(payload=["not", "an", "object"]),
        {**_job(), "spec": {"task": "x"}},
    ],
    ids=lambda o: f"{o['kind']}-{sorted(o['spec'].items())}"[:80],
)
def test_schema_rejects_invalid_resources(obj: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        _check(obj)


def test_schema_accepts_minimal_resources() -> None:
    _check(_topic())
    _check(_job(payload={"Sn": "HSO1"}, suspend=True, timeZone="UTC"))


def _kustomized_operator() -> list[dict[str, Any]]:
    out = subprocess.run(
        ["kubectl", "kustomize", str(REPO / "k8s" / "operator")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def _rbac_rules(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for o in objs if o["kind"] in ("Role", "ClusterRole") for r in o["rules"]]


def _assert_least_privilege(objs: list[dict[str, Any]]) -> None:
    rules = _rbac_rules(objs)
    assert rules
    for rule in rules:
        assert "*" not in rule["verbs"] and "*" not in rule["resources"]
        assert "delete" not in rule["verbs"]  # it never deletes Kubernetes objects
        assert set(rule["apiGroups"]) <= {
            "looklook.dev",
            "",
            "events.k8s.io",
            "apiextensions.k8s.io",
        }
        if rule["apiGroups"] == [""]:
            assert set(rule["resources"]) <= {"events", "namespaces"}
        if rule["apiGroups"] == ["apiextensions.k8s.io"]:
            assert set(rule["verbs"]) <= {"list", "watch"}


def _assert_single_active(objs: list[dict[str, Any]]) -> None:
    deploy = next(o for o in objs if o["kind"] == "Deployment")
    assert deploy["spec"]["replicas"] == 1
    assert deploy["spec"]["strategy"]["type"] == "Recreate"
    container = deploy["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["port"] == "liveness"
    assert {p["containerPort"] for p in container["ports"]} >= {4012}


def test_raw_manifests_validate_and_are_least_privilege() -> None:
    objs = _kustomized_operator()
    for obj in objs:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    _assert_least_privilege(objs)
    _assert_single_active(objs)


@pytest.fixture(scope="module")
def chart_objects() -> list[dict[str, Any]]:
    sys.path.insert(0, str(REPO))
    from tests.delivery import helm

    with tempfile.TemporaryDirectory() as tmp:
        objs = helm.render(helm.UMBRELLA, Path(tmp), helm.chart_values(helm.UMBRELLA))
    return [
        o
        for o in objs
        if (o["metadata"].get("labels") or {}).get("app.kubernetes.io/name") == "operator"
    ]


def test_chart_renders_upstream_topics_and_settle_job(chart_objects) -> None:
    topics = {o["metadata"]["name"]: o for o in chart_objects if o["kind"] == "KafkaTopic"}
    assert set(topics) == {"payment-update-paystatus-topic", "looklook-log"}
    jobs = [o for o in chart_objects if o["kind"] == "ScheduledJob"]
    assert [(j["spec"]["schedule"], j["spec"]["timeZone"], j["spec"]["task"]) for j in jobs] == [
        ("*/1 * * * *", "Asia/Shanghai", "schedule:settle_record:settle")
    ]
    for obj in [*topics.values(), *jobs]:
        _check(obj)


def test_chart_operator_objects_validate(chart_objects) -> None:
    plain = [
        o
        for o in chart_objects
        if o["apiVersion"].split("/")[0] not in ("looklook.dev", "monitoring.coreos.com")
    ]
    for obj in plain:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    _assert_least_privilege(chart_objects)
    _assert_single_active(chart_objects)
    config = yaml.safe_load(
        next(o for o in chart_objects if o["kind"] == "ConfigMap")["data"]["operator.yaml"]
    )
    assert config["kafka"]["brokers"] and config["redis"]["host"]

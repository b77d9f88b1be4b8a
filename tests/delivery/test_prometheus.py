"""Observability config: the rules (promtool check + unit tests), the chart's
PrometheusRule made from the same file, and the generated local scrape config."""

from __future__ import annotations

import importlib
import re
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from looklook_devtools import prometheus
from looklook_devtools.stack import Stack
from prometheus_client import REGISTRY

from tests.delivery import helm
from tests.delivery import servicelist as sl
from tests.delivery.conftest import env_values

PROMTOOL = shutil.which("promtool")
pytestmark = pytest.mark.skipif(PROMTOOL is None, reason="promtool missing (.ci/run installs it)")

RULES = prometheus.RULES_FILE
RULE_TESTS = sl.REPO_ROOT / "deploy" / "prometheus" / "rules-tests.yaml"
DOCS = sl.REPO_ROOT / "docs" / "observability.md"
# Modules that define every metric family our processes export.
METRIC_MODULES = (
    "looklook.metrics",
    "looklook.mq.outbox",
    "looklook.jobs.policy",
    "payment.metrics",
    "order.mq.payment_status",
    "looklook_operator.metrics",
    "mqueue.logic.settle_record",
)
PROMQL_WORDS = {
    "sum", "by", "rate", "deriv", "increase", "histogram_quantile", "and", "or", "unless",
}  # fmt: skip


def _promtool(*args: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(
        [str(PROMTOOL), *args], capture_output=True, text=True, cwd=cwd, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def _rules() -> list[dict[str, Any]]:
    return [r for g in helm.load_yaml(RULES)["groups"] for r in g["rules"]]


def _alerts() -> dict[str, dict[str, Any]]:
    return {r["alert"]: r for r in _rules() if "alert" in r}


def test_rules_pass_promtool_check() -> None:
    assert f"SUCCESS: {len(_rules())} rules found" in _promtool("check", "rules", str(RULES))


def test_rule_unit_tests_pass() -> None:
    """Fire and don't-fire cases of several alerts (deploy/prometheus/rules-tests.yaml)."""
    tested = set(re.findall(r"alertname: (\w+)", RULE_TESTS.read_text(encoding="utf-8")))
    assert len(tested) >= 3 and tested <= _alerts().keys()
    assert "SUCCESS" in _promtool("test", "rules", RULE_TESTS.name, cwd=RULE_TESTS.parent)


def test_every_alert_is_complete_and_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8").lower()
    for name, rule in _alerts().items():
        assert "for" in rule, name
        assert rule["labels"]["severity"] in {"page", "critical", "warning"}, name
        notes = rule["annotations"]
        assert notes["summary"] and notes["description"], name
        assert notes["runbook"] == f"docs/observability.md#{name.lower()}", name
        assert f"### {name.lower()}" in docs, f"{name} has no runbook section"


def _exported() -> set[str]:
    """Sample names of every family the metric modules register."""
    for module in METRIC_MODULES:
        importlib.import_module(module)
    suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"], "gauge": [""]}
    return {
        family.name + suffix
        for family in REGISTRY.collect()
        for suffix in suffixes.get(family.type, [])
    }


def _series_names(expr: str) -> set[str]:
    for pattern in (r"\{[^}]*\}", r"\[[^\]]*\]", r"by \([^)]*\)", r'"[^"]*"'):
        expr = re.sub(pattern, " ", expr)
    names = set(re.findall(r"\b[a-z_:][a-z0-9_:]*\b", expr)) - PROMQL_WORDS
    return {n for n in names if ":" not in n}  # recording rules are checked by promtool


def test_rules_use_only_metrics_our_processes_export() -> None:
    used = set().union(*(_series_names(r["expr"]) for r in _rules()))
    unknown = used - _exported() - {"up"}
    assert not unknown, f"no process exports {sorted(unknown)}"
    assert {"http_server_requests_code_total", "looklook_outbox_pending"} <= used


def test_process_down_covers_every_process_locally_and_on_the_cluster() -> None:
    match = re.search(r'up\{job=~"([^"]+)"\}', _alerts()["LooklookProcessDown"]["expr"])
    assert match is not None
    job = re.compile(match.group(1))
    for name in prometheus.job_names(sl.load(), local_only=False):
        assert job.fullmatch(name) and job.fullmatch(f"test-release-{name}"), name
    assert not job.fullmatch("node-exporter")


def test_local_scrape_config_is_valid_and_follows_services_yaml(tmp_path: Path) -> None:
    services = sl.load()
    path = tmp_path / "prometheus.yml"
    path.write_text(prometheus.render(services), encoding="utf-8")
    _promtool("check", "config", str(path))

    conf = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert conf["rule_files"] == [str(RULES)]
    jobs = {j["job_name"]: j for j in conf["scrape_configs"]}
    expected = {
        f"{ref.service}-{ref.name}": ref.process.ops
        for ref in sl.processes(services)
        if ref.process.local
    }
    assert jobs.keys() == {"prometheus", *expected}
    assert {"order-mq", "usercenter-api", "mqueue-scheduler"} <= jobs.keys()
    assert "operator-operator" not in jobs  # not started locally: it would only be "down"
    for name, ops in expected.items():
        (target,) = jobs[name]["static_configs"]
        assert target == {"targets": [f"127.0.0.1:{ops}"], "labels": {"app": name, "env": "dev"}}


def test_local_scrape_config_follows_only() -> None:
    conf = prometheus.config(sl.load(), only=frozenset({"order"}))
    names = [j["job_name"] for j in conf["scrape_configs"]]
    assert names == ["prometheus", "order-api", "order-rpc", "order-mq"]


def test_local_stack_runs_prometheus_only_when_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = Stack(sl.load(), run_dir=tmp_path)
    if prometheus.command(tmp_path / "p.yml", tmp_path) is not None and not _port_busy():
        line = next(x for x in stack.procfile(with_kafka=False).splitlines() if "prometheus:" in x)
        assert f"--config.file={tmp_path / 'prometheus.yml'}" in line
        assert f"--storage.tsdb.path={tmp_path / 'prometheus'}" in line
        assert "--web.listen-address=127.0.0.1:9090" in line
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without prometheus
    assert "prometheus" not in stack.procfile(with_kafka=False)
    assert all(not name.startswith("prometheus") for _, name, _ in stack.local_processes())


def _port_busy() -> bool:
    host, port = prometheus.LISTEN.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


def test_chart_ships_the_same_rules_as_a_prometheusrule(tmp_path: Path) -> None:
    labels = {"release": "kube-prometheus-stack"}
    values = helm.merge_values(
        env_values("prod"), {"prometheusRule": {"enabled": True, "labels": labels}}
    )
    report = helm.lint(sl.CHART, tmp_path, values, render=True)
    assert report.problems() == [], report.log[-2000:]
    (rule,) = [o for o in report.manifests if o["kind"] == "PrometheusRule"]
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    assert rule["metadata"]["name"] == "test-release-looklook"
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert rule["spec"] == helm.load_yaml(RULES)
    spec = tmp_path / "from-chart.yaml"
    spec.write_text(yaml.safe_dump(rule["spec"]), encoding="utf-8")
    _promtool("check", "rules", str(spec))


def test_prometheusrule_is_off_unless_enabled(rendered: dict) -> None:
    """Off by default: it needs the Prometheus Operator's CRDs in the cluster."""
    for objs in rendered.values():
        assert all(o["kind"] != "PrometheusRule" for o in objs)


@pytest.mark.parametrize("bad", [{"enabled": "yes"}, {"labels": {"release": 1}}, {"enabld": True}])
def test_values_schema_rejects_bad_prometheusrule(bad: dict) -> None:
    schema = jsonschema.Draft7Validator(helm.load_json(sl.CHART / "values.schema.json"))
    values = helm.merge_values(env_values(None), {"prometheusRule": bad})
    assert any(e.absolute_path[0] == "prometheusRule" for e in schema.iter_errors(values))

"""Jenkinsfile: parses with Groovy, and a dry run gives every service its five steps.

ci/jenkins/dryrun.groovy evaluates the real Jenkinsfile (its `when` conditions, helper
methods and script blocks) with pipeline steps that record instead of running. All
scenarios go through one Groovy process to keep the JVM start-up to one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["pull", "test", "build", "push", "deploy staging", "deploy production"]
CREDENTIALS = {"registry-credentials", "kubeconfig-staging", "kubeconfig-prod", "gitops-token"}

pytestmark = pytest.mark.skipif(shutil.which("groovy") is None, reason="groovy not installed")


@cache
def _java_env() -> dict[str, str]:
    """Groovy's launcher needs JAVA_HOME; pick an installed JDK when it is unset or stale."""
    env = dict(os.environ)
    if not Path(env.get("JAVA_HOME", "/nonexistent"), "bin/java").exists():
        jdks = sorted(Path("/usr/lib/jvm").glob("*/bin/java"))
        if jdks:
            env["JAVA_HOME"] = str(jdks[0].parents[1])
    return env


def _groovy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["groovy", *args], capture_output=True, text=True, env=_java_env(), timeout=180
    )


def _load(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _scenario(
    changed: list[str] | None = None,
    branch: str | None = "main",
    services: dict | None = None,
    **extra: object,
) -> dict:
    env = {"GIT_COMMIT": "c0ffee", "GIT_PREVIOUS_SUCCESSFUL_COMMIT": "beef"}
    if branch:
        env["BRANCH_NAME"] = branch
    env.update(extra.pop("env", {}))
    return {
        "env": env,
        "params": extra.pop("params", {}),
        "files": {
            "services.yaml": services or _load(ROOT / "services.yaml"),
            "ci/triggers.yaml": _load(ROOT / "ci/triggers.yaml"),
        },
        "stdout": {"ci/scripts/changed-files.sh": "\n".join(changed or []) + "\n"},
        "approve": extra.pop("approve", True),
    }


def _changed_services() -> dict:
    """services.yaml gaining `reviews` and losing `operator`."""
    doc = _load(ROOT / "services.yaml")
    doc["services"]["reviews"] = {"processes": {"api": {"kind": "http", "port": 1005, "ops": 4013}}}
    del doc["services"]["operator"]
    return doc


SCENARIOS = {
    "one_service": _scenario(["services/travel/travel/logic/homestay.py"]),
    "two_services": _scenario(["services/order/etc/order.yaml", "services/payment/x.py"]),
    "shared_lib": _scenario(["libs/looklook/errors.py"]),
    "chart": _scenario(["charts/looklook/values.yaml"]),
    "docs_only": _scenario(["docs/ci.md", "services/travelling.txt"]),
    "feature_branch": _scenario(["services/travel/x.py"], branch="feature/x"),
    "tag": _scenario(branch=None, env={"TAG_NAME": "v1.2.0"}),
    "gitops": _scenario(["services/travel/x.py"], params={"DEPLOY_MODE": "gitops"}),
    "not_approved": _scenario(["services/travel/x.py"], approve=False),
    "first_build": _scenario(env={"GIT_PREVIOUS_SUCCESSFUL_COMMIT": ""}),
    "changed_list": _scenario(services=_changed_services(), params={"ALL_SERVICES": True}),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, dict]:
    config = tmp_path_factory.mktemp("jenkins") / "scenarios.json"
    config.write_text(json.dumps({"scenarios": SCENARIOS}))
    done = _groovy(str(ROOT / "ci/jenkins/dryrun.groovy"), str(ROOT / "Jenkinsfile"), str(config))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for name, result in results.items():
        assert result["ok"], f"{name}: {result.get('error')}"
    return results


def per_step(run: dict) -> dict[str, list[str]]:
    """{step: [service, ...]} from the per-service stages ("test: travel") that ran."""
    steps: dict[str, list[str]] = {s: [] for s in STEPS}
    for event in run["events"]:
        if event["type"] == "stage" and " / " in event["stage"]:
            step, _, svc = event["stage"].split(" / ")[-1].rpartition(": ")
            steps[step].append(svc)
    return steps


def jenkins_problems(services: list[str], run: dict) -> list[str]:
    """Where a full dry run and the service list disagree (empty when they agree)."""
    problems = []
    for step, done in per_step(run).items():
        problems += [f"{svc}: no '{step}' stage" for svc in services if svc not in done]
        problems += [
            f"'{step}' stage for {svc}, not in services.yaml" for svc in done if svc not in services
        ]
    return problems


ALL = sorted(_load(ROOT / "services.yaml")["services"])


def test_jenkinsfile_parses():
    done = _groovy(str(ROOT / "ci/jenkins/parse.groovy"), str(ROOT / "Jenkinsfile"))
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_parse_check_rejects_broken_groovy(tmp_path):
    broken = tmp_path / "Jenkinsfile"
    broken.write_text((ROOT / "Jenkinsfile").read_text().rsplit("}", 1)[0])  # drop last brace
    assert _groovy(str(ROOT / "ci/jenkins/parse.groovy"), str(broken)).returncode == 1


@pytest.mark.parametrize("scenario", ["shared_lib", "chart", "first_build"])
def test_every_service_gets_every_step(runs, scenario):
    assert jenkins_problems(ALL, runs[scenario]) == []


def test_a_service_change_delivers_only_that_service(runs):
    assert per_step(runs["one_service"]) == {s: ["travel"] for s in STEPS}
    assert per_step(runs["two_services"]) == {s: ["order", "payment"] for s in STEPS}


def test_unrelated_changes_deliver_nothing(runs):
    assert per_step(runs["docs_only"]) == {s: [] for s in STEPS}
    skipped = {e["stage"] for e in runs["docs_only"]["events"] if e["type"] == "skipped"}
    assert skipped == {"test", "build", "push", "deploy: staging", "deploy: production"}


def test_branches_other_than_main_do_not_push_or_deploy(runs):
    steps = per_step(runs["feature_branch"])
    assert steps["test"] == ["travel"] and steps["build"] == ["travel"]
    assert steps["push"] == steps["deploy staging"] == steps["deploy production"] == []


def test_tags_push_the_git_tag_and_go_to_production_only(runs):
    events = runs["tag"]["events"]
    pushes = [e["cmd"] for e in events if e["type"] == "sh" and "push.sh" in e["cmd"]]
    assert len(pushes) == len(ALL) and all(p.endswith(" c0ffee v1.2.0") for p in pushes)
    steps = per_step(runs["tag"])
    assert steps.pop("deploy staging") == []
    assert all(sorted(done) == ALL for done in steps.values())


def test_production_waits_for_approval(runs):
    events = runs["not_approved"]["events"]
    assert any(e["type"] == "input" and e["stage"] == "deploy: production" for e in events)
    assert per_step(runs["not_approved"])["deploy production"] == []
    assert per_step(runs["not_approved"])["deploy staging"] == ["travel"]


def _commands(run: dict, script: str) -> list[dict]:
    return [e for e in run["events"] if e["type"] == "sh" and script in e["cmd"]]


def test_steps_run_in_their_containers_with_their_credentials(runs):
    run = runs["one_service"]
    (build,) = _commands(run, "build.sh")
    assert build["container"] == "kaniko"
    image = "registry.example.com/looklook/looklook-travel:c0ffee"  # the chart's image name
    assert build["cmd"].endswith(f"build.sh travel {image}")
    (push,) = _commands(run, "push.sh")
    assert push["container"] == "skopeo" and push["credentials"] == ["registry-credentials"]
    staging, production = _commands(run, "deploy.sh")
    assert staging["container"] == production["container"] == "helm"
    assert staging["credentials"] == ["kubeconfig-staging"]
    assert production["credentials"] == ["kubeconfig-prod"]
    assert "DEPLOY_ENV=production" in production["env"]
    assert staging["cmd"] == "ci/scripts/deploy.sh travel c0ffee"


def test_gitops_mode_commits_tags_instead_of_running_helm(runs):
    run = runs["gitops"]
    assert _commands(run, "deploy.sh") == []
    bumps = _commands(run, "gitops-bump.sh")
    assert [b["cmd"] for b in bumps] == [
        "ci/scripts/gitops-bump.sh staging travel c0ffee",
        "ci/scripts/gitops-bump.sh production travel c0ffee",
    ]
    assert all(b["credentials"] == ["gitops-token"] for b in bumps)


def test_only_the_documented_credentials_are_used(runs):
    used = {c for run in runs.values() for e in run["events"] for c in e["credentials"]}
    assert used == CREDENTIALS
    doc = (ROOT / "docs/ci.md").read_text(encoding="utf-8")
    assert all(f"`{c}`" in doc for c in CREDENTIALS)


def test_stages_follow_services_yaml_and_drift_is_caught(runs):
    changed = runs["changed_list"]
    new_list = sorted(_changed_services()["services"])
    assert jenkins_problems(new_list, changed) == []
    # The same run checked against the committed list: the check does fail on drift.
    problems = jenkins_problems(ALL, changed)
    assert "operator: no 'pull' stage" in problems
    assert "'deploy production' stage for reviews, not in services.yaml" in problems


def test_pod_uses_the_same_pinned_images_as_gitlab(runs):
    (agent,) = [e for e in runs["one_service"]["events"] if e["type"] == "agent"]
    pod = yaml.safe_load(agent["yaml"])
    images = {c["name"]: c["image"] for c in pod["spec"]["containers"]}
    assert {"jnlp", "python", "kaniko", "helm"} <= images.keys()
    assert agent["defaultContainer"] == "python"
    pins = _load(ROOT / "ci/gitlab/service-pipeline.yml")["variables"]
    assert images["python"] == pins["PYTHON_IMAGE"]
    assert images["kaniko"] == pins["KANIKO_IMAGE"] and images["kaniko"].endswith("-debug")
    assert images["skopeo"] == pins["SKOPEO_IMAGE"]
    assert images["helm"] == pins["HELM_IMAGE"]
    assert images["mariadb"] == pins["MARIADB_IMAGE"] and images["redis"] == pins["REDIS_IMAGE"]
    assert all(":" in image and not image.endswith(":latest") for image in images.values())

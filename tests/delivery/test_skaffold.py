"""skaffold.yaml validates against the skaffold v4beta13 schema and deploys the umbrella
chart with every built image injected, in the dev and prod profiles."""

from __future__ import annotations

import json

import jsonschema
import yaml

from tests.delivery import servicelist as sl

CONFIG = yaml.safe_load(sl.SKAFFOLD.read_text())
SCHEMA = json.loads((sl.SCHEMAS / "skaffold-v4beta13.json").read_text())


def test_skaffold_yaml_matches_schema() -> None:
    validator = jsonschema.Draft7Validator(SCHEMA)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(CONFIG)]
    assert not errors, "\n".join(errors)


def test_schema_is_not_vacuous() -> None:
    bad = {**CONFIG, "build": {**CONFIG["build"], "artifacts": [{"image": "x", "dockr": {}}]}}
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(bad))


def test_profiles_deploy_the_chart_with_their_values() -> None:
    profiles = {p["name"]: p for p in CONFIG["profiles"]}
    assert set(profiles) == {"dev", "prod"}
    for name, profile in profiles.items():
        (release,) = profile["deploy"]["helm"]["releases"]
        assert release["chartPath"] == "charts/looklook"
        assert release["valuesFiles"] == [f"charts/looklook/values-{name}.yaml"]
        templates = release["setValueTemplates"]
        for service in sl.load().services:
            key = sl.image_name(service).replace("-", "_")
            assert templates[f"services.{service}.image.repository"] == f"{{{{.IMAGE_REPO_{key}}}}}"
            assert templates[f"services.{service}.image.tag"] == f"{{{{.IMAGE_TAG_{key}}}}}"


def test_artifacts_rebuild_their_dockerfile_first() -> None:
    for artifact in CONFIG["build"]["artifacts"]:
        service = artifact["image"].removeprefix("looklook-")
        (hook,) = artifact["hooks"]["before"]
        assert hook["command"][-1].endswith(f"tools/render_dockerfiles.py {service}")
        assert artifact["context"] == "."

"""Helm through helm-sdkpy, offline: lint a chart with merged values, and render it.

helm-sdkpy's `Lint` takes a chart path only and returns messages whose error text is
lost (`Err` serialises as `{}`), and it has no offline `template` call. So:
  * values files are merged here the way Helm merges `-f` files and written as the
    chart's values.yaml in a temporary copy of the chart;
  * to render, the copy gets one extra template that `tpl`-renders every other
    template and `fail`s with the result; Helm logs a `fail` message to stderr, so the
    lint runs in a subprocess and the manifests are read back from its stderr.
The chart in the repository is never modified.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CHARTS = REPO_ROOT / "charts"
UMBRELLA = CHARTS / "looklook"
SEVERITY = {0: "UNKNOWN", 1: "INFO", 2: "WARNING", 3: "ERROR"}

_LINT_SCRIPT = """
import asyncio, json, sys
import helm_sdkpy
result = asyncio.run(helm_sdkpy.Lint(helm_sdkpy.Configuration()).run(sys.argv[1]))
print(json.dumps(result))
"""
_RENDER_DIR = "_render"
_BEGIN, _END = "<<<RENDER>>>", "<<<END>>>"
_RENDER_TEMPLATE = (
    "{{- $out := list }}\n"
    '{{- range $path, $_ := .Files.Glob "' + _RENDER_DIR + '/*" }}\n'
    "{{- $out = append $out (tpl ($.Files.Get $path) $) }}\n"
    "{{- end }}\n"
    '{{- fail (printf "' + _BEGIN + "%s" + _END + '" (join "\\n---\\n" $out)) }}\n'
)
_FAIL_LOG = re.compile(r'message="((?:[^"\\]|\\.)*)"')


def merge_values(base: dict[str, Any], *overlays: dict[str, Any]) -> dict[str, Any]:
    """Helm's -f merge: maps merge recursively, anything else replaces, null deletes."""
    out = copy.deepcopy(base)
    for overlay in overlays:
        _merge_into(out, overlay)
    return out


def _merge_into(dst: dict[str, Any], src: dict[str, Any]) -> None:
    for key, value in src.items():
        if value is None:
            dst.pop(key, None)
        elif isinstance(value, dict) and isinstance(dst.get(key), dict):
            _merge_into(dst[key], value)
        else:
            dst[key] = copy.deepcopy(value)


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def chart_values(chart: Path, *files: str, overrides: dict[str, Any] | None = None) -> dict:
    """The values Helm would use for `-f file ... --set-json overrides`."""
    layers = [load_yaml(chart / f) for f in files]
    return merge_values(load_yaml(chart / "values.yaml"), *layers, overrides or {})


@dataclass
class LintReport:
    messages: list[tuple[str, str]]  # (severity, path)
    log: str  # what the Helm library logged (template `fail`/`required` messages)
    manifests: list[dict[str, Any]]  # rendered objects, when render=True succeeded

    def problems(self) -> list[tuple[str, str]]:
        """Messages of WARNING severity or worse: what `helm lint` fails on (--strict)."""
        return [m for m in self.messages if m[0] in ("WARNING", "ERROR")]


def lint(
    chart: Path,
    tmp_path: Path,
    values: dict[str, Any] | None = None,
    render: bool = False,
) -> LintReport:
    """Lint a copy of `chart` whose values.yaml is `values` (default: the chart's own)."""
    work = tmp_path / chart.name
    shutil.copytree(chart, work)
    if values is not None:
        (work / "values.yaml").write_text(yaml.safe_dump(values, sort_keys=False))
    if render:
        (work / _RENDER_DIR).mkdir()
        for template in sorted((work / "templates").glob("*.yaml")):
            shutil.copy(template, work / _RENDER_DIR / template.name)
        (work / "templates" / "zz-render.yaml").write_text(_RENDER_TEMPLATE)
    proc = subprocess.run(
        [sys.executable, "-c", _LINT_SCRIPT, str(work)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    messages = [(SEVERITY[m["Severity"]], m["Path"]) for m in result.get("Messages") or []]
    if render:
        # The render template always fails on purpose; that message is not a problem.
        messages = (
            [m for m in messages if m != ("ERROR", "templates/")]
            if _BEGIN in proc.stderr
            else messages
        )
    return LintReport(messages, proc.stderr, _manifests(proc.stderr) if render else [])


def _manifests(log: str) -> list[dict[str, Any]]:
    for match in _FAIL_LOG.finditer(log):
        text = json.loads(f'"{match.group(1)}"')
        if _BEGIN in text:
            body = text.split(_BEGIN, 1)[1].rsplit(_END, 1)[0]
            return [doc for doc in yaml.safe_load_all(body) if doc]
    return []


def render(chart: Path, tmp_path: Path, values: dict[str, Any] | None = None) -> list[dict]:
    """The objects the chart renders with `values`; fails the test if it does not render."""
    report = lint(chart, tmp_path, values, render=True)
    if not report.manifests:
        raise AssertionError(f"chart did not render: {report.messages}\n{report.log[-4000:]}")
    return report.manifests

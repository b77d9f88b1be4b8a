"""Every service's rendered Dockerfile passes hadolint and has the required shape; the
install step it runs (uv sync of one package from the lock) really installs the service."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from looklook_devtools import dockerfiles

from tests.delivery import servicelist as sl

SERVICES = list(sl.load().services)
HADOLINT = shutil.which("hadolint", path=str(sl.REPO_ROOT / ".venv" / "bin")) or "hadolint"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docker")
    return {p.stem: p for p in dockerfiles.write_all(out)}


@pytest.mark.parametrize("service", SERVICES)
def test_hadolint_passes(service: str, rendered: dict[str, Path]) -> None:
    proc = subprocess.run(
        [HADOLINT, "--failure-threshold", "info", str(rendered[service])],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("service", SERVICES)
def test_image_shape(service: str, rendered: dict[str, Path]) -> None:
    text = rendered[service].read_text()
    froms = re.findall(r"^FROM (\S+)", text, re.M)
    assert froms.count("${PYTHON_IMAGE}") == 2  # build and runtime on the same pinned base
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.12\.\d+-slim-bookworm$", text, re.M)
    runtime = text.split("AS runtime", 1)[1]
    assert "uv" not in re.findall(r"^COPY --from=(\S+)", runtime, re.M)  # no build tools
    assert "apt-get" not in runtime and "pip install" not in runtime
    assert re.search(r"^USER 10001:10001$", runtime, re.M)
    for label in ("title", "source", "version", "revision", "created"):
        assert f"org.opencontainers.image.{label}=" in runtime
    assert f'ENTRYPOINT ["looklook-{service}"]' in runtime
    first = next(iter(sl.load().services[service].processes))
    assert f'CMD ["{first}"' in runtime
    assert f"--package looklook-{service}" in text and "--no-dev" in text and "--frozen" in text


def test_checked_in_renderer_matches(tmp_path: Path) -> None:
    """`make dockerfiles` (tools/render_dockerfiles.py) writes what the tests checked."""
    subprocess.run(
        [
            str(sl.REPO_ROOT / ".venv/bin/python"),
            "tools/render_dockerfiles.py",
            "--out",
            str(tmp_path),
            "order",
        ],
        cwd=sl.REPO_ROOT,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "order.Dockerfile").read_text() == dockerfiles.render("order")


def test_unknown_placeholder_is_an_error() -> None:
    with pytest.raises(dockerfiles.RenderError, match="nosuch"):
        dockerfiles.render("order", template="FROM x\nRUN {{nosuch}}\n")


def _find_uv() -> str:
    """uv as `make venv` finds it: on PATH (not a pyenv shim), or beside the interpreter."""
    candidates = [shutil.which("uv"), str(Path(sys.base_prefix) / "bin" / "uv")]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return candidate
    raise AssertionError("uv (the project's installer) is needed for this check")


def test_build_stage_install_gives_only_the_service(tmp_path: Path) -> None:
    """Run the image's install step on the files the Dockerfile copies (offline, from
    uv's cache): the console script exists and dev tools are not installed."""
    uv = _find_uv()
    text = dockerfiles.render("order")
    src = tmp_path / "src"
    for line in re.findall(r"^COPY (?!--from)(.+)$", text, re.M):
        *sources, _dest = line.split()
        for s in sources:
            origin = sl.REPO_ROOT / s.rstrip("/")
            target = src / s.rstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if origin.is_dir():
                shutil.copytree(
                    origin,
                    target,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "tests"),
                )
            else:
                shutil.copy(origin, target)
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_OFFLINE": "1"}
    proc = subprocess.run(
        [
            uv,
            "sync",
            "--frozen",
            "--no-dev",
            "--no-editable",
            "--package",
            "looklook-order",
            "--python",
            str(sl.REPO_ROOT / ".venv/bin/python"),
        ],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (venv / "bin" / "looklook-order").is_file()
    assert not (venv / "bin" / "pytest").exists()
    assert not (venv / "bin" / "looklook-payment").exists()

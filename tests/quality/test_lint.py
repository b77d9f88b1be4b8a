"""The code rules CI enforces: ruff everywhere, the import layers and strict types in libs.

Run as tests so that the README's one test command covers them too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers_hold() -> None:
    """libs/ never imports a service; services never import each other (.importlinter)."""
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_libs_type_check() -> None:
    """libs/looklook passes mypy --strict; the settings are [tool.mypy] in pyproject.toml."""
    result = _run(str(BIN / "mypy"), "--strict", "libs/looklook")
    assert result.returncode == 0, result.stdout + result.stderr

"""Fixtures of the delivery tests: the chart rendered once per environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.delivery import helm
from tests.delivery import servicelist as sl


def env_values(env: str | None) -> dict[str, Any]:
    """Chart values for an environment (None = the chart's defaults only)."""
    files = [f"values-{env}.yaml"] if env else []
    return helm.chart_values(sl.CHART, *files)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Objects the umbrella chart renders, by environment ("default" and each env)."""
    out = {}
    for env in (None, *sl.ENVIRONMENTS):
        tmp: Path = tmp_path_factory.mktemp(f"render-{env or 'default'}")
        out[env or "default"] = helm.render(sl.CHART, tmp, env_values(env))
    return out

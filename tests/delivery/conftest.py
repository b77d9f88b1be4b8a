"""Fixtures of the delivery tests: the chart rendered once per environment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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
    envs = (None, *sl.ENVIRONMENTS)
    tmps: list[Path] = [tmp_path_factory.mktemp(f"render-{env or 'default'}") for env in envs]
    # Each render is a Helm subprocess: run them side by side.
    with ThreadPoolExecutor(max_workers=len(envs)) as pool:
        results = pool.map(lambda e, t: helm.render(sl.CHART, t, env_values(e)), envs, tmps)
        return {env or "default": objs for env, objs in zip(envs, results, strict=True)}

"""Turn a reconcile result into a minimal status patch (only fields that changed).

Timers run every minute for every resource; patching only differences keeps them from
writing to the API server when nothing happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import kopf

from looklook_operator.conditions import Condition, find, merge


def write_status(
    patch: kopf.Patch,
    body: kopf.Body,
    fields: Mapping[str, Any],
    conditions: Iterable[Condition],
) -> bool:
    """Put into ``patch.status`` every field (and the merged conditions) that differs from
    ``body.status``; ``None`` removes a field. Returns whether anything was patched."""
    old = body.status
    generation = body.meta.get("generation")
    desired: dict[str, Any] = dict(fields)
    desired["observedGeneration"] = generation
    desired["conditions"] = merge(old.get("conditions"), conditions, generation)
    changed = False
    for key, value in desired.items():
        if old.get(key) != value:
            patch.status[key] = value
            changed = True
    return changed


def is_ready(patch: kopf.Patch, body: kopf.Body) -> bool:
    """Whether Ready is True after ``patch`` is applied."""
    conditions = patch.status.get("conditions", body.status.get("conditions"))
    ready = find(conditions, "Ready")
    return bool(ready and ready.get("status") == "True")

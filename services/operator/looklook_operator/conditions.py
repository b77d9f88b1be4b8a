"""Kubernetes-style status conditions, as `kubectl wait --for=condition=Ready` reads them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

Status = Literal["True", "False", "Unknown"]


def rfc3339(moment: datetime) -> str:
    """UTC timestamp in the format the API server uses (second precision, ``Z``)."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Condition:
    """One condition as the reconcilers report it; timestamps are added by ``merge``."""

    type: str
    status: Status
    reason: str
    message: str = ""


def merge(
    old: Iterable[Mapping[str, Any]] | None,
    new: Iterable[Condition],
    generation: int | None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """The new condition list: ``lastTransitionTime`` only moves when a status flips.

    Conditions of other types already in the status are kept, so one reconciler does not
    wipe another's.
    """
    stamp = rfc3339(now or datetime.now(UTC))
    previous = {c.get("type"): dict(c) for c in old or ()}
    merged: dict[str, dict[str, Any]] = dict(previous)
    for cond in new:
        before = previous.get(cond.type)
        moved = before is None or before.get("status") != cond.status
        entry: dict[str, Any] = {
            "type": cond.type,
            "status": cond.status,
            "reason": cond.reason,
            "message": cond.message,
            "lastTransitionTime": stamp if moved else before.get("lastTransitionTime", stamp),
        }
        if generation is not None:
            entry["observedGeneration"] = generation
        merged[cond.type] = entry
    return list(merged.values())


def find(conditions: Iterable[Mapping[str, Any]] | None, type_: str) -> Mapping[str, Any] | None:
    """The condition of ``type_`` in a status list, if any."""
    return next((c for c in conditions or () if c.get("type") == type_), None)

"""KafkaTopic reconciliation: make the broker's topic match the resource, report honestly.

``reconcile_topic`` is the whole policy (create, raise partitions, refuse a decrease,
apply config, repair drift); the kopf handlers only feed it a spec and turn its
``TopicOutcome`` into a status patch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from looklook_operator.conditions import Condition
from looklook_operator.kafka_admin import (
    BrokerRefused,
    BrokerUnsupported,
    TopicAdmin,
    TopicState,
)

Trigger = Literal["apply", "timer"]


class InvalidTopicSpec(ValueError):
    """The resource cannot be reconciled as written (the CRD schema should prevent it)."""


@dataclass(frozen=True)
class TopicSpec:
    """The desired topic, with the CRD's defaults applied."""

    name: str
    partitions: int
    replicas: int
    config: Mapping[str, str]
    retain: bool

    @classmethod
    def from_resource(cls, spec: Mapping[str, Any], meta_name: str) -> TopicSpec:
        """Read ``spec`` (topicName defaults to metadata.name, as in Strimzi)."""
        name = spec.get("topicName") or meta_name
        partitions = spec.get("partitions", 1)
        replicas = spec.get("replicas", 1)
        for key, value in (("partitions", partitions), ("replicas", replicas)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidTopicSpec(f"spec.{key} must be a positive integer, got {value!r}")
        raw_config = spec.get("config") or {}
        if not isinstance(raw_config, Mapping):
            raise InvalidTopicSpec("spec.config must be an object")
        return cls(
            name=name,
            partitions=partitions,
            replicas=replicas,
            config={str(k): _config_value(k, v) for k, v in raw_config.items()},
            retain=spec.get("deletionPolicy", "Delete") == "Retain",
        )


def _config_value(key: Any, value: Any) -> str:
    """Kafka configs are strings on the wire; YAML gives us ints and bools too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise InvalidTopicSpec(f"spec.config.{key} must be a string, number or boolean")


@dataclass
class TopicOutcome:
    """What one reconcile did and found; ``ready`` is the resulting Ready condition."""

    topic: str
    state: TopicState | None
    actions: list[str] = field(default_factory=list)
    problems: list[Condition] = field(default_factory=list)

    @property
    def ready(self) -> Condition:
        if self.problems:
            first = self.problems[0]
            message = "; ".join(p.message for p in self.problems)
            return Condition("Ready", "False", first.reason, message)
        if not self.actions:
            return Condition("Ready", "True", "InSync", f"topic {self.topic} matches the spec")
        reason = "Created" if "created" in self.actions else "Updated"
        return Condition("Ready", "True", reason, f"topic {self.topic}: {', '.join(self.actions)}")

    def status(self) -> dict[str, Any]:
        """Status fields other than conditions/observedGeneration."""
        out: dict[str, Any] = {"topicName": self.topic}
        if self.state is not None:
            out["partitions"] = self.state.partitions
            out["replicas"] = self.state.replicas
        return out


def config_drift(desired: Mapping[str, str], actual: Mapping[str, str]) -> dict[str, str]:
    """The desired keys whose broker value differs (keys the spec does not name are left
    alone by the drift check; an update of the spec resets them through AlterConfigs)."""
    return {k: v for k, v in desired.items() if actual.get(k) != v}


async def reconcile_topic(
    admin: TopicAdmin, spec: TopicSpec, trigger: Trigger = "apply"
) -> TopicOutcome:
    """Bring the broker in line with ``spec``. Broker outages propagate as
    ``BrokerUnavailable``; anything the broker cannot or will not do becomes a problem
    condition in the outcome, never a crash and never a silent skip."""
    repair = "repaired drift: " if trigger == "timer" else ""
    state = await admin.describe(spec.name)
    outcome = TopicOutcome(topic=spec.name, state=state)
    if state is None:
        try:
            await admin.create(spec.name, spec.partitions, spec.replicas, spec.config)
        except BrokerRefused as exc:
            outcome.problems.append(Condition("Ready", "False", "CreateRefused", str(exc)))
            return outcome
        outcome.actions.append("recreated missing topic" if trigger == "timer" else "created")
        outcome.state = await admin.describe(spec.name)
        return outcome

    if spec.partitions < state.partitions:
        outcome.problems.append(
            Condition(
                "Ready",
                "False",
                "PartitionDecreaseRefused",
                f"spec.partitions {spec.partitions} is below the topic's {state.partitions} "
                "partitions; Kafka cannot remove partitions, set it back to at least "
                f"{state.partitions}",
            )
        )
    elif spec.partitions > state.partitions:
        if await _attempt(outcome, admin.raise_partitions(spec.name, spec.partitions)):
            outcome.actions.append(f"{repair}partitions {state.partitions} -> {spec.partitions}")

    if state.replicas and state.replicas != spec.replicas:
        outcome.problems.append(
            Condition(
                "Ready",
                "False",
                "ReplicasMismatch",
                f"topic has replication factor {state.replicas}, spec says {spec.replicas}; "
                "changing it needs a partition reassignment, which this operator does not do",
            )
        )

    drift = config_drift(spec.config, state.config)
    if drift and await _attempt(outcome, admin.alter_config(spec.name, spec.config)):
        outcome.actions.append(f"{repair}config {', '.join(sorted(drift))}")

    if outcome.actions:
        outcome.state = await admin.describe(spec.name) or state
    return outcome


async def _attempt(outcome: TopicOutcome, call: Any) -> bool:
    """Await an admin call; an unsupported or refused operation becomes a problem."""
    try:
        await call
    except BrokerUnsupported as exc:
        outcome.problems.append(Condition("Ready", "False", "BrokerUnsupported", str(exc)))
        return False
    except BrokerRefused as exc:
        outcome.problems.append(Condition("Ready", "False", "BrokerRefused", str(exc)))
        return False
    return True

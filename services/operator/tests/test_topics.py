"""KafkaTopic handlers against the real broker (tansu locally, any Kafka in CI).

tansu 0.6.0 has no CreatePartitions and no AlterConfigs API: where the broker lacks an
API, the test asserts the operator's BrokerUnsupported condition instead of the change.
"""

from __future__ import annotations

import kopf
import pytest
from aiokafka.protocol.admin import AlterConfigsRequest, CreatePartitionsRequest
from looklook_operator import handlers
from looklook_operator.kafka_admin import TopicAdmin

pytestmark = pytest.mark.kafka


async def run(handler, res, memo, **kw):
    patch = kopf.Patch()
    await handler(body=res.body(), patch=patch, memo=memo, retry=0, logger=_log(), **kw)
    return res.apply(patch), patch


def _log():
    import logging

    return logging.getLogger("test.operator")


async def test_create_sets_status_and_is_idempotent(
    make_resource, memo, topic_admin: TopicAdmin, unique_name
):
    res = make_resource(
        "KafkaTopic",
        unique_name,
        {"partitions": 2, "replicas": 1, "config": {"retention.ms": 60000}},
    )
    status, _ = await run(handlers.topic_apply, res, memo)

    state = await topic_admin.describe(unique_name)
    assert state is not None and state.partitions == 2
    assert state.config.get("retention.ms") == "60000"
    assert status["observedGeneration"] == 1
    assert status["topicName"] == unique_name and status["partitions"] == 2
    assert res.ready["status"] == "True" and res.ready["reason"] == "Created"
    first_transition = res.ready["lastTransitionTime"]

    # Running again changes nothing: no broker writes, no status churn.
    status, patch = await run(handlers.topic_apply, res, memo)
    assert res.ready["reason"] == "InSync"
    assert res.ready["lastTransitionTime"] == first_transition
    await topic_admin.delete(unique_name)


async def test_topic_name_defaults_and_spec_name_wins(
    make_resource, memo, topic_admin: TopicAdmin, unique_name
):
    res = make_resource("KafkaTopic", "k8s-name", {"topicName": f"{unique_name}.x"})
    await run(handlers.topic_apply, res, memo)
    assert res.raw["status"]["topicName"] == f"{unique_name}.x"
    assert await topic_admin.describe(f"{unique_name}.x") is not None
    assert await topic_admin.describe("k8s-name") is None
    await topic_admin.delete(f"{unique_name}.x")


async def test_raise_partitions(make_resource, memo, topic_admin, unique_name, broker_apis):
    res = make_resource("KafkaTopic", unique_name, {"partitions": 1})
    await run(handlers.topic_apply, res, memo)
    res.edit(partitions=3)
    status, _ = await run(handlers.topic_apply, res, memo)

    assert status["observedGeneration"] == 2
    actual = (await topic_admin.describe(unique_name)).partitions
    if CreatePartitionsRequest.API_KEY in broker_apis:
        assert actual == 3 and status["partitions"] == 3
        assert res.ready["status"] == "True" and res.ready["reason"] == "Updated"
    else:  # tansu: the change cannot happen, and the resource says so
        assert actual == 1 and status["partitions"] == 1
        assert res.ready["status"] == "False" and res.ready["reason"] == "BrokerUnsupported"
        assert "CreatePartitions" in res.ready["message"]
    await topic_admin.delete(unique_name)


async def test_partition_decrease_is_refused_with_condition(
    make_resource, memo, topic_admin, unique_name
):
    res = make_resource("KafkaTopic", unique_name, {"partitions": 3})
    await run(handlers.topic_apply, res, memo)
    res.edit(partitions=1)
    status, _ = await run(handlers.topic_apply, res, memo)

    assert (await topic_admin.describe(unique_name)).partitions == 3
    assert status["partitions"] == 3 and status["observedGeneration"] == 2
    assert res.ready["status"] == "False"
    assert res.ready["reason"] == "PartitionDecreaseRefused"
    assert "cannot remove partitions" in res.ready["message"]
    assert res.ready["observedGeneration"] == 2
    await topic_admin.delete(unique_name)


async def test_config_change(make_resource, memo, topic_admin, unique_name, broker_apis):
    res = make_resource("KafkaTopic", unique_name, {"config": {"retention.ms": "1000"}})
    await run(handlers.topic_apply, res, memo)
    res.edit(config={"retention.ms": "2000", "cleanup.policy": "compact"})
    await run(handlers.topic_apply, res, memo)

    config = (await topic_admin.describe(unique_name)).config
    if AlterConfigsRequest.API_KEY in broker_apis:
        assert config["retention.ms"] == "2000" and config["cleanup.policy"] == "compact"
        assert res.ready["status"] == "True"
    else:
        assert config["retention.ms"] == "1000"
        assert res.ready["reason"] == "BrokerUnsupported"
        assert "AlterConfigs" in res.ready["message"]
    await topic_admin.delete(unique_name)


async def test_delete_removes_topic_unless_retained(make_resource, memo, topic_admin, unique_name):
    gone = make_resource("KafkaTopic", f"{unique_name}-d", {})
    kept = make_resource("KafkaTopic", f"{unique_name}-r", {"deletionPolicy": "Retain"})
    for res in (gone, kept):
        await run(handlers.topic_apply, res, memo)

    for res in (gone, kept):
        await handlers.topic_delete(body=res.body(), memo=memo, logger=_log(), retry=0)
    assert await topic_admin.describe(f"{unique_name}-d") is None
    assert await topic_admin.describe(f"{unique_name}-r") is not None
    # A second delete (kopf retrying after a crash) is harmless.
    await handlers.topic_delete(body=gone.body(), memo=memo, logger=_log(), retry=0)
    await topic_admin.delete(f"{unique_name}-r")


async def test_timer_recreates_missing_topic(make_resource, memo, topic_admin, unique_name):
    res = make_resource("KafkaTopic", unique_name, {"partitions": 2})
    await run(handlers.topic_apply, res, memo)
    await topic_admin.delete(unique_name)  # someone deleted it behind our back

    await run(handlers.topic_check, res, memo)
    state = await topic_admin.describe(unique_name)
    assert state is not None and state.partitions == 2
    assert res.ready["status"] == "True"
    assert "recreated missing topic" in res.ready["message"]
    await topic_admin.delete(unique_name)


async def test_timer_repairs_partition_and_config_drift(
    make_resource, memo, topic_admin, unique_name, broker_apis
):
    # The topic exists with fewer partitions and another retention than the spec.
    await topic_admin.create(unique_name, 1, 1, {"retention.ms": "5000"})
    res = make_resource(
        "KafkaTopic", unique_name, {"partitions": 2, "config": {"retention.ms": "7000"}}
    )
    await run(handlers.topic_check, res, memo)

    state = await topic_admin.describe(unique_name)
    if {CreatePartitionsRequest.API_KEY, AlterConfigsRequest.API_KEY} <= broker_apis:
        assert state.partitions == 2 and state.config["retention.ms"] == "7000"
        assert "repaired drift" in res.ready["message"]
    else:
        assert res.ready["status"] == "False" and res.ready["reason"] == "BrokerUnsupported"
        assert "CreatePartitions" in res.ready["message"]
        assert "AlterConfigs" in res.ready["message"]
    await topic_admin.delete(unique_name)


async def test_timer_writes_nothing_when_in_sync(make_resource, memo, topic_admin, unique_name):
    res = make_resource("KafkaTopic", unique_name, {})
    await run(handlers.topic_apply, res, memo)
    await run(handlers.topic_check, res, memo)  # settles reason to InSync
    _, patch = await run(handlers.topic_check, res, memo)
    assert dict(patch) == {}
    await topic_admin.delete(unique_name)


async def test_broker_down_is_retried_with_backoff(make_resource, unique_name):
    dead = TopicAdmin("127.0.0.1:1", request_timeout_ms=500)
    memo = kopf.Memo(topics=dead, reconcile=handlers_conf())
    res = make_resource("KafkaTopic", unique_name, {})
    patch = kopf.Patch()
    with pytest.raises(kopf.TemporaryError) as err:
        await handlers.topic_apply(body=res.body(), patch=patch, memo=memo, retry=2)
    assert err.value.delay == 8  # 2 s doubled twice
    res.apply(patch)
    assert res.ready["status"] == "Unknown" and res.ready["reason"] == "BrokerUnavailable"

    with pytest.raises(kopf.TemporaryError):
        await handlers.topic_delete(body=res.body(), memo=memo, logger=_log(), retry=0)
    await dead.close()


async def test_invalid_spec_is_permanent(make_resource, memo, unique_name):
    res = make_resource("KafkaTopic", unique_name, {"config": {"retention.ms": {"nested": 1}}})
    patch = kopf.Patch()
    with pytest.raises(kopf.PermanentError):
        await handlers.topic_apply(body=res.body(), patch=patch, memo=memo, retry=0)
    res.apply(patch)
    assert res.ready["reason"] == "InvalidSpec" and "retention.ms" in res.ready["message"]


def handlers_conf():
    from looklook_operator.config import ReconcileConf

    return ReconcileConf(backoff_s=2, backoff_max_s=60)

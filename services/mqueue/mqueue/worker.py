"""The worker: upstream's three task types registered on the shared broker.

A payload that does not validate can never succeed, so it is logged and the task
finishes (no 25 retries of a hopeless message); so does a :class:`PermanentJobError`
from the logic (one WARNING, no traceback). Every other failure raises and is retried
with asynq's backoff by the broker's retry middleware.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from looklook.jobs import types
from looklook.pb import pb
from pydantic import BaseModel, ValidationError
from taskiq import AsyncBroker

from mqueue.logic.close_order import close_order
from mqueue.logic.notify_pay_success import NotifyPaySuccess
from mqueue.logic.permanent import PermanentJobError
from mqueue.logic.settle_record import settle_record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deps:
    """What the job logic calls."""

    order: pb.OrderStub
    payment: pb.PaymentStub
    notify: NotifyPaySuccess


def _parsed[P: BaseModel](
    model: type[P], run: Callable[[P], Awaitable[Any]], task_name: str
) -> Callable[[Any], Awaitable[None]]:
    async def task(payload: Any = None) -> None:
        try:
            parsed = model.model_validate(payload or {})
        except ValidationError as exc:
            log.error("%s: dropping invalid payload %r: %s", task_name, payload, exc)
            return
        try:
            await run(parsed)
        except PermanentJobError as exc:
            log.warning("%s: giving up, retrying cannot help: %s", task_name, exc)

    task.__name__ = task_name.replace(":", "_")
    return task


def register_tasks(broker: AsyncBroker, deps: Deps) -> None:
    """Register the task handlers on ``broker`` under upstream's task names."""
    handlers: dict[str, Callable[[Any], Awaitable[Any]]] = {
        types.CLOSE_ORDER: lambda p: close_order(deps.order, deps.payment, p),
        types.PAY_SUCCESS_NOTIFY_USER: deps.notify,
        types.SETTLE_RECORD: lambda _p: settle_record(),
    }
    for name, run in handlers.items():
        broker.register_task(_parsed(types.PAYLOAD_MODELS[name], run, name), task_name=name)

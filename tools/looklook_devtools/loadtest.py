"""`make load`: a bounded locust run of a realistic user mix through the local gateway.

    locust -f tools/looklook_devtools/loadtest.py --headless -u 20 -r 5 -t 30s \\
        --host http://127.0.0.1:8888

Each simulated user registers a fresh mobile and logs in once, then mostly browses
(homestayList, guessList, homestayDetail), now and then looks at its profile and
sometimes books a homestay. Any non-200 HTTP status or envelope ``code`` is recorded
as a locust failure, never an exception, so a service that is down (order/payment)
shows up in the failure table instead of stopping the run.

Guards: the host must be loopback (this is a local tool); without ``-t`` the run stops
after ``DEFAULT_RUN_S``; on stop, users get ``STOP_TIMEOUT_S`` to finish their task.
"""

from __future__ import annotations

import json
import logging
import random
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

__all__ = ["Booker"]

log = logging.getLogger("looklook.loadtest")

PASSWORD = "looklook-load"
STOP_TIMEOUT_S = 5.0
DEFAULT_RUN_S = 60.0
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SEED_HOMESTAY_IDS = tuple(range(1, 21))  # the demo seed's ids, until a list reply says more


@events.init.add_listener
def _guard(environment: Environment, **_: Any) -> None:
    """Refuse non-local targets, bound the run, and give stopping users a grace time."""
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"loadtest: refusing host {environment.host!r}; only 127.0.0.1")
    if not environment.stop_timeout:
        environment.stop_timeout = STOP_TIMEOUT_S
    options = environment.parsed_options
    if options is not None and not options.run_time and environment.runner is not None:
        runner = environment.runner
        log.warning("no -t given: stopping after %.0f s", DEFAULT_RUN_S)
        gevent.spawn_later(DEFAULT_RUN_S, runner.quit)


def _envelope(text: str | None) -> dict[str, Any] | None:
    """The upstream ``{"code","msg","data"}`` envelope, or None for anything else."""
    try:
        value = json.loads(text or "")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _mobile() -> str:
    """An 11-digit mobile no demo user has (the seed uses 137/138/139)."""
    return "166" + "".join(secrets.choice("0123456789") for _ in range(8))


class Booker(HttpUser):
    """One visitor of the mini-program: sign up, browse a lot, book occasionally."""

    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.token = ""
        self.homestay_ids: list[int] = list(SEED_HOMESTAY_IDS)
        self.capacity: dict[int, int] = {}  # peopleNum seen in list replies
        self.mobile = _mobile()
        body = {"mobile": self.mobile, "password": PASSWORD}
        # Log in even when register failed: a timed-out register may still have landed.
        self._call("/usercenter/v1/user/register", body)
        data = self._call("/usercenter/v1/user/login", body)
        self.token = data.get("accessToken", "") if data else ""

    def _call(
        self, path: str, body: dict[str, Any], *, auth: bool = False
    ) -> dict[str, Any] | None:
        """POST ``body``; the envelope's ``data`` ({} when null) or None after recording
        a failure (HTTP status, unreadable JSON or a business error code)."""
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        with self.client.post(
            path, json=body, headers=headers, name=path, catch_response=True
        ) as resp:
            envelope = _envelope(resp.text) or {}
            code = envelope.get("code")
            if resp.status_code != 200 or code != 200:
                msg = str(envelope.get("msg", ""))[:60]
                resp.failure(f"HTTP {resp.status_code} code {code} {msg}".rstrip())
                return None
            data = envelope.get("data")
            return data if isinstance(data, dict) else {}

    def _remember(self, data: dict[str, Any] | None) -> None:
        """Learn homestay ids and capacities from a list reply, to book what exists."""
        for h in (data or {}).get("list") or ():
            if isinstance(h, dict) and isinstance(h.get("id"), int):
                self.capacity[h["id"]] = int(h.get("peopleNum") or 1)
        if self.capacity:
            self.homestay_ids = sorted(self.capacity)

    @task(10)
    def homestay_list(self) -> None:
        page = random.choice((1, 1, 1, 2))
        self._remember(
            self._call("/travel/v1/homestay/homestayList", {"page": page, "pageSize": 10})
        )

    @task(6)
    def guess_list(self) -> None:
        self._remember(self._call("/travel/v1/homestay/guessList", {}))

    @task(8)
    def homestay_detail(self) -> None:
        hid = random.choice(self.homestay_ids)
        self._call("/travel/v1/homestay/homestayDetail", {"id": hid})

    @task(3)
    def user_detail(self) -> None:
        if self.token:
            self._call("/usercenter/v1/user/detail", {}, auth=True)

    @task(1)
    def create_order(self) -> None:
        if not self.token:
            return
        start = int(time.time()) + 86400 * random.randint(1, 30)
        hid = random.choice(self.homestay_ids)
        body = {
            "homestayId": hid,
            "isFood": random.random() < 0.5,
            "liveStartTime": start,
            "liveEndTime": start + 86400 * random.randint(1, 3),
            "livePeopleNum": random.randint(1, min(2, self.capacity.get(hid, 1))),
            "remark": "压测订单 load test",
        }
        self._call("/order/v1/homestayOrder/createHomestayOrder", body, auth=True)

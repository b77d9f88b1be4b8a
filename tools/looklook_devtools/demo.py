"""`make demo`: walk the booking flow through the gateway and print every step.

register → login → browse → detail → create order → wxMiniAuth (sandbox phone login)
→ WeChat pay → the sandbox pays → callback → Kafka → order paid → pay-success messages;
then a second order, left unpaid, is closed by the delayed job. Exits non-zero on the
first failed step. tests/e2e reuses these step functions against the same stack.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from . import servicelist

__all__ = ["Demo", "StepError", "main", "run_demo"]

PASSWORD = "looklook-demo"
PAY_TIMEOUT_S = 30.0
CLOSE_TIMEOUT_S = 90.0  # the local close delay is 20 s; the scheduler polls every few s


class StepError(RuntimeError):
    """A step of the flow did not give what it should; the message says what."""


@dataclass
class Demo:
    gateway: str
    sandbox: str
    http: aiohttp.ClientSession
    say: Callable[[str], None] = print
    mobile: str = field(
        default_factory=lambda: "139" + "".join(secrets.choice("0123456789") for _ in range(8))
    )
    token: str = ""

    async def call(self, path: str, body: dict[str, Any], *, auth: bool = True) -> Any:
        """POST through the gateway; the envelope's ``data`` or StepError."""
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        async with self.http.post(self.gateway + path, json=body, headers=headers) as resp:
            text = await resp.text()
            if resp.status != 200:
                raise StepError(f"{path}: HTTP {resp.status} {text[:300]}")
        envelope = json.loads(text)
        if envelope.get("code") != 200:
            raise StepError(f"{path}: {envelope}")
        return envelope.get("data")

    async def sandbox_post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with self.http.post(self.sandbox + path, json=body) as resp:
            data = await resp.json()
            if resp.status != 200:
                raise StepError(f"sandbox {path}: HTTP {resp.status} {data}")
            return data

    # -- steps -----------------------------------------------------------------------

    async def register(self) -> None:
        data = await self.call(
            "/usercenter/v1/user/register",
            {"mobile": self.mobile, "password": PASSWORD},
            auth=False,
        )
        self.token = data["accessToken"]

    async def login(self) -> None:
        data = await self.call(
            "/usercenter/v1/user/login", {"mobile": self.mobile, "password": PASSWORD}, auth=False
        )
        self.token = data["accessToken"]

    async def browse(self) -> dict[str, Any]:
        data = await self.call("/travel/v1/homestay/homestayList", {"page": 1, "pageSize": 10})
        homestays = [h for h in data["list"] or [] if h["rowState"] == 1 and h["peopleNum"] >= 2]
        if not homestays:
            raise StepError("no bookable homestay listed (is the demo data seeded?)")
        return homestays[0]

    async def detail(self, homestay_id: int) -> dict[str, Any]:
        data = await self.call("/travel/v1/homestay/homestayDetail", {"id": homestay_id})
        if data["homestay"]["id"] != homestay_id:
            raise StepError(f"homestay {homestay_id} detail came back as {data['homestay']}")
        return data["homestay"]

    async def create_order(self, homestay_id: int, nights: int = 2) -> str:
        start = int(time.time()) + 86400
        data = await self.call(
            "/order/v1/homestayOrder/createHomestayOrder",
            {
                "homestayId": homestay_id,
                "isFood": True,
                "liveStartTime": start,
                "liveEndTime": start + nights * 86400,
                "livePeopleNum": 2,
                "remark": "demo",
            },
        )
        return data["orderSn"]

    async def order_detail(self, sn: str) -> dict[str, Any]:
        data = await self.call("/order/v1/homestayOrder/userHomestayOrderDetail", {"sn": sn})
        if data is None:
            raise StepError(f"order {sn} not visible to its buyer")
        return data

    async def wx_mini_auth(self) -> str:
        phone = await self.sandbox_post("/sandbox/miniprogram/login", {"phone": self.mobile})
        data = await self.call(
            "/usercenter/v1/user/wxMiniAuth",
            {
                "code": phone["code"],
                "iv": phone["iv"],
                "encryptedData": phone["encryptedData"],
            },
        )
        self.token = data["accessToken"]
        return phone["openid"]

    async def wx_pay(self, sn: str) -> dict[str, Any]:
        data = await self.call(
            "/payment/v1/thirdPayment/thirdPaymentWxPay",
            {"orderSn": sn, "serviceType": "homestayOrder"},
        )
        if not data["package"].startswith("prepay_id=") or data["signType"] != "RSA":
            raise StepError(f"unexpected requestPayment parameters {data}")
        return data

    async def sandbox_pays(self, pay: dict[str, Any]) -> dict[str, Any]:
        prepay_id = pay["package"].removeprefix("prepay_id=")
        answer = await self.sandbox_post("/sandbox/pay/confirm", {"prepay_id": prepay_id})
        if answer.get("status") != 200 or answer.get("body") != "SUCCESS":
            raise StepError(f"payment callback answered {answer}")
        return answer

    async def wait_trade_state(self, sn: str, state: int, timeout_s: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            order = await self.order_detail(sn)
            if order["tradeState"] == state:
                return order
            if time.monotonic() > deadline:
                raise StepError(f"order {sn} still in state {order['tradeState']}, wanted {state}")
            await asyncio.sleep(0.5)

    async def wait_messages(self, openid: str, sn: str, timeout_s: float = 30.0) -> list[Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            async with self.http.get(
                self.sandbox + "/sandbox/miniprogram/messages", params={"touser": openid}
            ) as resp:
                messages = (await resp.json())["messages"]
            mine = [
                m
                for m in messages
                if sn in str(m.get("data")) or m.get("template_id", "").startswith("kmm")
            ]
            if len(mine) >= 2:
                return mine
            if time.monotonic() > deadline:
                raise StepError(f"{len(mine)} of 2 subscribe messages sent to {openid}")
            await asyncio.sleep(0.5)


async def run_demo(demo: Demo) -> None:
    async def step(title: str, action: Awaitable[Any]) -> Any:
        result = await action
        shown = "" if result is None else f": {str(result)[:100]}"
        demo.say(f"  ok  {title}{shown}")
        return result

    await step(f"register {demo.mobile}", demo.register())
    await step("login", demo.login())
    homestay = await step("browse homestays", demo.browse())
    await step("homestay detail", demo.detail(homestay["id"]))
    sn = await step("create order", demo.create_order(homestay["id"]))
    openid = await step("wxMiniAuth through the sandbox", demo.wx_mini_auth())
    pay = await step("wechat pay (JSAPI prepay)", demo.wx_pay(sn))
    await step("sandbox pays, callback answered", demo.sandbox_pays(pay))
    paid = await step(
        "order paid via Kafka (tradeState 1)", demo.wait_trade_state(sn, 1, PAY_TIMEOUT_S)
    )
    demo.say(f"      payTime={paid['payTime']} payType={paid['payType']}")
    await step("pay-success subscribe messages", demo.wait_messages(openid, sn))
    unpaid = await step("second order, left unpaid", demo.create_order(homestay["id"], 1))
    await step(
        "closed by the delayed job (tradeState -1)",
        demo.wait_trade_state(unpaid, -1, CLOSE_TIMEOUT_S),
    )


def main() -> int:
    services = servicelist.load()
    gateway = f"http://127.0.0.1:{services.gateway.port}"
    sandbox = f"http://127.0.0.1:{services.infra.wechat_sandbox['port']}"

    async def go() -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
            await run_demo(Demo(gateway, sandbox, http))

    try:
        asyncio.run(go())
    except (StepError, aiohttp.ClientError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print("demo complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())

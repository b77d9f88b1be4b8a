"""``msg:pay_success:notify_user``: tell the buyer by WeChat that the order is paid.

business-rules.md §6 / messaging-and-jobs.md §3: look up the buyer's wxMini openid
(an RPC failure → the task fails and is retried), then send two subscribe messages,
each waiting before every attempt and giving up after a bounded number (only logged).
A buyer without a wxMini openid, or an order row we cannot render, is permanent
(:class:`PermanentJobError`): upstream retried those 25 times for nothing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from looklook.jobs.types import PaySuccessNotifyPayload
from looklook.pb import pb
from looklook.wechat.miniprogram import WxMiniClient, WxMiniError

from mqueue.logic.permanent import PermanentJobError

log = logging.getLogger(__name__)

ORDER_PAID_TPL = "QIJPmfxaNqYzSjOlXGk1T6Xfw94JwbSPuOd3u_hi3WE"
CHECK_IN_TPL = "kmm-maRr6v_9eMxEPpj-5clJ2YW_EFpd8-ngyYk63e4"
CHECK_IN_REMINDER = "请不要将验证码告知商家以外人员，以防上当"
AUTH_TYPE_WX_MINI = "wxMini"
SHANGHAI = ZoneInfo("Asia/Shanghai")


class NoOpenIdError(PermanentJobError):
    """The buyer has no wxMini auth: no message can ever reach them."""


class BadOrderRowError(PermanentJobError):
    """The payload's order row lacks a field the messages need, or has a bad value."""


def _date(value: Any) -> str:
    """``YYYY-MM-DD`` in Asia/Shanghai from an RFC 3339 string or Unix seconds."""
    if isinstance(value, int | float):
        moment = datetime.fromtimestamp(value, SHANGHAI)
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d")


def messages(order: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """The two (template id, data) pairs for a paid order row (Go field names)."""
    start, end = _date(order["LiveStartDate"]), _date(order["LiveEndDate"])
    total_yuan = int(order.get("OrderTotalPrice") or 0) / 100
    return [
        (ORDER_PAID_TPL, {
            "character_string6": str(order.get("Sn", "")),
            "thing1": str(order.get("Title", "")),
            "amount2": f"{total_yuan:.2f}",
            "time4": start,
            "time5": end,
        }),
        (CHECK_IN_TPL, {
            "date2": start,
            "date3": end,
            "character_string4": str(order.get("TradeCode", "")),
            "thing1": CHECK_IN_REMINDER,
        }),
    ]


@dataclass(frozen=True)
class NotifyPaySuccess:
    usercenter: pb.UsercenterStub
    wechat: WxMiniClient
    #: ``miniprogram_state`` of the messages (looklook.wechat.miniprogram.miniprogram_state).
    state: str = "formal"
    attempts: int = 7
    wait_s: float = 1.0

    async def __call__(self, payload: PaySuccessNotifyPayload) -> int:
        """Returns how many of the two messages were delivered."""
        order = payload.Order
        try:
            user_id = int(order["UserId"])
            to_send = messages(order)
        except (KeyError, TypeError, ValueError) as exc:
            raise BadOrderRowError(f"order {order.get('Sn', '?')}: unusable row ({exc!r})") from exc
        auth = await self.usercenter.get_user_auth_by_user_id(
            pb.GetUserAuthByUserIdReq(user_id=user_id, auth_type=AUTH_TYPE_WX_MINI)
        )
        openid = auth.user_auth.auth_key if auth.user_auth else ""
        if not openid:
            raise NoOpenIdError(f"user {user_id} has no wxMini auth")
        delivered = 0
        for template_id, data in to_send:
            delivered += await self._send_with_attempts(openid, template_id, data)
        return delivered

    async def _send_with_attempts(self, openid: str, template_id: str, data: dict[str, str]) -> int:
        for attempt in range(1, self.attempts + 1):
            await asyncio.sleep(self.wait_s)
            try:
                await self.wechat.send_subscribe(openid, template_id, data, state=self.state)
                return 1
            except WxMiniError as exc:
                log.warning("subscribe %s attempt %d/%d failed: %s",
                            template_id, attempt, self.attempts, exc)
        log.error("subscribe %s to %s: giving up after %d attempts",
                  template_id, openid, self.attempts)
        return 0

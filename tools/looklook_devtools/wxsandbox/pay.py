"""WeChat Pay v3 side of the sandbox: JSAPI prepay and "the user paid" notifications.

`POST /v3/pay/transactions/jsapi` checks the merchant's request signature (the sandbox
knows the merchant public key, as WeChat knows the uploaded certificate), remembers the
order and answers a signed `prepay_id`. `POST /sandbox/pay/confirm {"prepay_id"}` plays
the payer: it builds the transaction, encrypts it with the APIv3 key, signs the
notification as the platform, POSTs it to the `notify_url` given at prepay and returns
what the merchant answered. `GET /sandbox/pay/notifications?prepay_id=` shows what was
sent (tests replay it).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from looklook.wechat.crypto import (
    WxPayCryptoError,
    encrypt_resource,
    load_private_key,
    load_public_key,
    message,
    sign,
    verify,
)
from looklook.wechat.pay import JSAPI_PATH, WxPayError, nonce_str, parse_authorization

__all__ = ["PayConf", "setup", "signed_headers"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLATFORM_SERIAL = "SANDBOXPLATFORMSERIAL0001"


@dataclass(frozen=True)
class PayConf:
    mch_id: str
    api_v3_key: str
    merchant_public_key: str
    platform_private_key: str


@dataclass
class PayState:
    conf: PayConf
    prepays: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


STATE = web.AppKey("pay_state", PayState)


def signed_headers(
    platform_private_key: str, body: str, timestamp: int | None = None
) -> dict[str, str]:
    """`Wechatpay-*` headers signing ``body`` as the platform."""
    ts, nonce = str(timestamp if timestamp is not None else int(time.time())), nonce_str()
    signature = sign(load_private_key(platform_private_key), message(ts, nonce, body))
    return {
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": signature,
        "Wechatpay-Serial": PLATFORM_SERIAL,
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }


def _error(status: int, code: str, text: str) -> web.Response:
    return web.json_response({"code": code, "message": text}, status=status)


def _check_merchant(state: PayState, request: web.Request, body: str) -> str | None:
    """Why the merchant's signature is unacceptable, or None."""
    try:
        auth = parse_authorization(request.headers.get("Authorization", ""))
    except WxPayError as exc:
        return str(exc)
    if auth["mchid"] != state.conf.mch_id:
        return "unknown mchid"
    if abs(time.time() - int(auth["timestamp"] or 0)) > 300:
        return "timestamp outside the accepted window"
    msg = message(request.method, request.path_qs, auth["timestamp"], auth["nonce_str"], body)
    try:
        verify(load_public_key(state.conf.merchant_public_key), msg, auth["signature"])
    except WxPayCryptoError:
        return "signature does not verify"
    return None


async def jsapi(request: web.Request) -> web.Response:
    state = request.app[STATE]
    body = (await request.read()).decode("utf-8", errors="replace")
    problem = _check_merchant(state, request, body)
    if problem is not None:
        return _error(401, "SIGN_ERROR", problem)
    try:
        order = json.loads(body)
        total = int(order["amount"]["total"])
        needed = (
            order["appid"],
            order["out_trade_no"],
            order["notify_url"],
            order["payer"]["openid"],
        )
    except (ValueError, KeyError, TypeError):
        return _error(400, "PARAM_ERROR", "appid, out_trade_no, notify_url, amount, payer required")
    if not all(needed) or total <= 0:
        return _error(400, "PARAM_ERROR", "empty field or non-positive amount")
    prepay_id = "wx" + secrets.token_hex(16)
    state.prepays[prepay_id] = order
    answer = json.dumps({"prepay_id": prepay_id})
    headers = signed_headers(state.conf.platform_private_key, answer)
    return web.Response(text=answer, content_type="application/json", headers=headers)


def transaction(order: dict[str, Any], trade_state: str, payer_total: int) -> dict[str, Any]:
    """The decrypted `transaction` WeChat would send for this order."""
    return {
        "appid": order["appid"],
        "mchid": order.get("mchid", ""),
        "out_trade_no": order["out_trade_no"],
        "transaction_id": "42000" + secrets.token_hex(12)[:23],
        "trade_type": "JSAPI",
        "trade_state": trade_state,
        "trade_state_desc": "支付成功" if trade_state == "SUCCESS" else trade_state,
        "bank_type": "OTHERS",
        "attach": order.get("attach", ""),
        "success_time": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "payer": {"openid": order["payer"]["openid"]},
        "amount": {
            "total": order["amount"]["total"],
            "payer_total": payer_total,
            "currency": "CNY",
            "payer_currency": "CNY",
        },
    }


async def confirm(request: web.Request) -> web.Response:
    """Body `{"prepay_id", ["trade_state"], ["payer_total"]}` → the merchant's answer."""
    state = request.app[STATE]
    try:
        req = await request.json()
        order = state.prepays[req["prepay_id"]]
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": "unknown prepay_id"}, status=404)
    tx = transaction(
        order,
        str(req.get("trade_state", "SUCCESS")),
        int(req.get("payer_total", order["amount"]["total"])),
    )
    resource = encrypt_resource(state.conf.api_v3_key, json.dumps(tx).encode())
    body = json.dumps(
        {
            "id": secrets.token_hex(16),
            "create_time": tx["success_time"],
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": resource,
        }
    )
    headers = signed_headers(state.conf.platform_private_key, body)
    state.sent.setdefault(req["prepay_id"], []).append({"headers": headers, "body": body})
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                order["notify_url"],
                data=body.encode(),
                headers={**headers, "Content-Type": "application/json"},
                timeout=aiohttp.ClientTimeout(total=10),
            ) as resp,
        ):
            answer = {"status": resp.status, "body": await resp.text()}
    except (aiohttp.ClientError, TimeoutError) as exc:
        return web.json_response({"error": f"notify_url unreachable: {exc!r}"}, status=502)
    return web.json_response({**answer, "out_trade_no": tx["out_trade_no"]})


async def notifications(request: web.Request) -> web.Response:
    state = request.app[STATE]
    return web.json_response(
        {"notifications": state.sent.get(request.query.get("prepay_id", ""), [])}
    )


def setup(app: web.Application, conf: PayConf) -> None:
    app[STATE] = PayState(conf)
    app.router.add_post(JSAPI_PATH, jsapi)
    app.router.add_post("/sandbox/pay/confirm", confirm)
    app.router.add_get("/sandbox/pay/notifications", notifications)

"""WeChat Pay v3 merchant client: signed JSAPI prepay, notification verification.

Request signing (``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,
signature=…,timestamp=…,serial_no=…`` over ``METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n``),
verification of answers and notifications with the platform public key over
``TIMESTAMP\\nNONCE\\nBODY\\n`` (headers ``Wechatpay-*``) with a freshness window against
replays, and decryption of the notification ``resource``. ``base_url`` is the real API
in production and the sandbox (tools/looklook_devtools/wxsandbox) locally.
"""

from __future__ import annotations

import json
import secrets
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from looklook import gojson
from looklook.settings import ConfModel
from looklook.wechat.crypto import (
    WxPayCryptoError,
    decrypt_resource,
    load_private_key,
    load_public_key,
    message,
    sign,
    verify,
)

__all__ = [
    "AUTH_SCHEMA",
    "JSAPI_PATH",
    "Transaction",
    "WxPayClient",
    "WxPayConf",
    "WxPayError",
    "JsapiOrder",
    "authorization",
    "nonce_str",
    "parse_authorization",
    "pay_sign_params",
    "verify_notification",
    "verify_signed",
]

AUTH_SCHEMA: Final = "WECHATPAY2-SHA256-RSA2048"
JSAPI_PATH: Final = "/v3/pay/transactions/jsapi"
_NONCE_CHARS: Final = string.ascii_letters + string.digits


class WxPayConf(ConfModel):
    """The ``wx_pay`` block of payment (keys.md); PEM texts and the APIv3 key come from
    Secrets (LOOKLOOK_WX_PAY__PRIVATE_KEY, LOOKLOOK_WX_PAY__API_V3_KEY)."""

    mch_id: str = Field(min_length=1)
    serial_no: str = Field(min_length=1)
    api_v3_key: str = Field(min_length=32, max_length=32)
    private_key: str = Field(min_length=1)
    platform_public_key: str = Field(min_length=1)
    notify_url: str = Field(min_length=1)
    base_url: str = "https://api.mch.weixin.qq.com"
    timeout_s: float = Field(default=5.0, gt=0)
    #: accepted age of a signed answer/notification; older ones are replays.
    max_clock_skew_s: int = Field(default=300, gt=0)


class WxPayError(Exception):
    """WeChat Pay refused, was unreachable, or answered something that does not verify."""


def nonce_str(n: int = 32) -> str:
    return "".join(secrets.choice(_NONCE_CHARS) for _ in range(n))


def authorization(
    conf: WxPayConf,
    method: str,
    url_path: str,
    body: str,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> str:
    """The merchant's ``Authorization`` header value for one request."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    nonce = nonce or nonce_str()
    signature = sign(load_private_key(conf.private_key), message(method, url_path, ts, nonce, body))
    return (
        f'{AUTH_SCHEMA} mchid="{conf.mch_id}",nonce_str="{nonce}",signature="{signature}",'
        f'timestamp="{ts}",serial_no="{conf.serial_no}"'
    )


def parse_authorization(header: str) -> dict[str, str]:
    """``{"mchid", "nonce_str", "signature", "timestamp", "serial_no"}`` of a header."""
    schema, _, rest = header.partition(" ")
    if schema != AUTH_SCHEMA:
        raise WxPayError("unknown authorization schema")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, value = part.strip().partition("=")
        if sep:
            fields[key] = value.strip('"')
    missing = {"mchid", "nonce_str", "signature", "timestamp", "serial_no"} - fields.keys()
    if missing:
        raise WxPayError(f"authorization lacks {sorted(missing)}")
    return fields


def verify_signed(
    public_key_pem: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    max_skew_s: int,
    now: float | None = None,
) -> None:
    """Check ``Wechatpay-Signature`` over ``TIMESTAMP\\nNONCE\\nBODY\\n`` and freshness.

    Raises WxPayError: a missing header, a timestamp outside ``max_skew_s`` (a replay or a
    broken clock) or a signature that does not verify.
    """
    ts, nonce = headers.get("Wechatpay-Timestamp", ""), headers.get("Wechatpay-Nonce", "")
    signature = headers.get("Wechatpay-Signature", "")
    if not ts.isdigit() or not nonce or not signature:
        raise WxPayError("missing Wechatpay-Timestamp/Nonce/Signature")
    current = time.time() if now is None else now
    if abs(current - int(ts)) > max_skew_s:
        raise WxPayError("signed timestamp outside the accepted window")
    try:
        text = body.decode()
        verify(load_public_key(public_key_pem), message(ts, nonce, text), signature)
    except (UnicodeDecodeError, WxPayCryptoError) as exc:
        raise WxPayError("signature does not verify") from exc


class _Amount(BaseModel):
    model_config = ConfigDict(extra="ignore")
    total: int = 0
    payer_total: int = 0
    currency: str = "CNY"


class Transaction(BaseModel):
    """The decrypted ``transaction`` of a payment notification (fields we use)."""

    model_config = ConfigDict(extra="ignore")
    out_trade_no: str
    transaction_id: str = ""
    trade_type: str = ""
    trade_state: str
    trade_state_desc: str = ""
    success_time: str = ""
    amount: _Amount = _Amount()


def verify_notification(
    conf: WxPayConf, headers: Mapping[str, str], body: bytes, *, now: float | None = None
) -> Transaction:
    """Verify a notification and decrypt its resource; raises WxPayError on any problem."""
    verify_signed(
        conf.platform_public_key, headers, body, max_skew_s=conf.max_clock_skew_s, now=now
    )
    try:
        resource = json.loads(body)["resource"]
        plain = decrypt_resource(
            conf.api_v3_key,
            resource["nonce"],
            resource.get("associated_data", ""),
            resource["ciphertext"],
        )
        return Transaction.model_validate_json(plain)
    except (ValueError, KeyError, TypeError, WxPayCryptoError, ValidationError) as exc:
        raise WxPayError(f"notification resource unusable: {exc}") from exc


def pay_sign_params(conf: WxPayConf, app_id: str, prepay_id: str) -> dict[str, str]:
    """``wx.requestPayment`` parameters, paySign over ``appid\\ntimestamp\\nnonce\\npackage\\n``."""
    ts, nonce, package = str(int(time.time())), nonce_str(), f"prepay_id={prepay_id}"
    pay_sign = sign(load_private_key(conf.private_key), message(app_id, ts, nonce, package))
    return {
        "appid": app_id,
        "nonceStr": nonce,
        "paySign": pay_sign,
        "package": package,
        "timestamp": ts,
        "signType": "RSA",
    }


@dataclass(frozen=True)
class JsapiOrder:
    app_id: str
    description: str
    out_trade_no: str
    attach: str
    amount_total: int
    openid: str


class WxPayClient:
    """Signed calls to the WeChat Pay v3 API; answers are verified before use."""

    def __init__(self, conf: WxPayConf, http: aiohttp.ClientSession) -> None:
        self.conf = conf
        self.http = http

    @cached_property
    def _checked(self) -> bool:  # load both keys once so a bad PEM fails early and clearly
        load_private_key(self.conf.private_key)
        load_public_key(self.conf.platform_public_key)
        return True

    async def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        self._checked  # noqa: B018 - validates keys on first use
        body = gojson.dumps(payload).decode()
        headers = {
            "Authorization": authorization(self.conf, "POST", path, body),
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        url = self.conf.base_url.rstrip("/") + path
        try:
            async with self.http.post(
                url,
                data=body.encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.conf.timeout_s),
            ) as resp:
                raw = await resp.read()
                status, resp_headers = resp.status, resp.headers
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise WxPayError(f"POST {path}: {exc!r}") from exc
        if status // 100 != 2:
            raise WxPayError(f"POST {path}: HTTP {status} {raw[:200]!r}")
        verify_signed(
            self.conf.platform_public_key, resp_headers, raw, max_skew_s=self.conf.max_clock_skew_s
        )
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise WxPayError(f"POST {path}: answer is not JSON") from exc
        if not isinstance(data, dict):
            raise WxPayError(f"POST {path}: answer is not an object")
        return data

    async def jsapi_prepay(self, order: JsapiOrder) -> str:
        """Create a JSAPI transaction; returns its ``prepay_id``."""
        data = await self._post(
            JSAPI_PATH,
            {
                "appid": order.app_id,
                "mchid": self.conf.mch_id,
                "description": order.description,
                "out_trade_no": order.out_trade_no,
                "attach": order.attach,
                "notify_url": self.conf.notify_url,
                "amount": {"total": order.amount_total, "currency": "CNY"},
                "payer": {"openid": order.openid},
            },
        )
        prepay_id = data.get("prepay_id")
        if not isinstance(prepay_id, str) or not prepay_id:
            raise WxPayError("jsapi: no prepay_id in answer")
        return prepay_id

    def verify_notification(self, headers: Mapping[str, str], body: bytes) -> Transaction:
        """A payment notification's transaction, verified with this merchant's keys."""
        return verify_notification(self.conf, headers, body)

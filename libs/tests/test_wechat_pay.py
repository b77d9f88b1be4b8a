"""WeChat Pay v3 merchant side: Authorization header, paySign, signed answers and
notifications (freshness window), and a JSAPI prepay against a real local server."""

from __future__ import annotations

import base64
import json
import time

import aiohttp
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from looklook.testing import free_port
from looklook.wechat.crypto import (
    WxPayCryptoError,
    encrypt_resource,
    load_private_key,
    load_public_key,
)
from looklook.wechat.crypto import message as v3_message
from looklook.wechat.crypto import sign as rsa_sign
from looklook.wechat.crypto import verify as rsa_verify
from looklook.wechat.pay import (
    AUTH_SCHEMA,
    JSAPI_PATH,
    JsapiOrder,
    WxPayClient,
    WxPayConf,
    WxPayError,
    authorization,
    nonce_str,
    parse_authorization,
    pay_sign_params,
    verify_notification,
    verify_signed,
)

API_V3_KEY = "abcdefghijklmnopqrstuvwxyz012345"


def _pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture(scope="module")
def merchant() -> tuple[str, str]:
    return _pair()


@pytest.fixture(scope="module")
def platform() -> tuple[str, str]:
    return _pair()


def make_conf(merchant, platform, base_url: str = "http://127.0.0.1:1") -> WxPayConf:
    return WxPayConf(
        mch_id="1900000001",
        serial_no="SERIAL01",
        api_v3_key=API_V3_KEY,
        private_key=merchant[0],
        platform_public_key=platform[1],
        notify_url="https://example.test/notify",
        base_url=base_url,
        max_clock_skew_s=300,
    )


def platform_headers(platform, body: bytes, ts: int | None = None) -> dict[str, str]:
    ts_s, nonce = str(int(time.time()) if ts is None else ts), nonce_str()
    sig = rsa_sign(load_private_key(platform[0]), v3_message(ts_s, nonce, body.decode()))
    return {
        "Wechatpay-Timestamp": ts_s,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": sig,
        "Wechatpay-Serial": "PLATFORM01",
    }


def test_nonce_str_is_alphanumeric_of_the_asked_length() -> None:
    assert len(nonce_str()) == 32 and nonce_str(8).isalnum() and len(nonce_str(8)) == 8
    assert nonce_str() != nonce_str()


def test_authorization_header_format_and_parse(merchant, platform) -> None:
    conf = make_conf(merchant, platform)
    body = '{"appid":"wx1"}'
    header = authorization(conf, "POST", JSAPI_PATH, body, timestamp=1700000000, nonce="N0NCE")
    assert header.startswith(
        f'{AUTH_SCHEMA} mchid="1900000001",nonce_str="N0NCE",signature="'
    ) and header.endswith('",timestamp="1700000000",serial_no="SERIAL01"')
    fields = parse_authorization(header)
    assert {k: v for k, v in fields.items() if k != "signature"} == {
        "mchid": "1900000001",
        "nonce_str": "N0NCE",
        "timestamp": "1700000000",
        "serial_no": "SERIAL01",
    }
    signed = v3_message("POST", JSAPI_PATH, "1700000000", "N0NCE", body)
    rsa_verify(load_public_key(merchant[1]), signed, fields["signature"])


@pytest.mark.parametrize(
    "header",
    [
        'WECHATPAY2-SHA256-RSA4096 mchid="1",nonce_str="n",signature="s",'
        'timestamp="1",serial_no="x"',
        'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",signature="s",timestamp="1"',
        "WECHATPAY2-SHA256-RSA2048",
        "",
    ],
)
def test_parse_authorization_refuses_other_schemas_and_missing_fields(header) -> None:
    with pytest.raises(WxPayError):
        parse_authorization(header)


def test_pay_sign_params_string_to_sign(merchant, platform) -> None:
    conf = make_conf(merchant, platform)
    before = int(time.time())
    params = pay_sign_params(conf, "wxAPP", "wx201410272009395522657a690389285100")
    assert list(params) == ["appid", "nonceStr", "paySign", "package", "timestamp", "signType"]
    assert params["appid"] == "wxAPP" and params["signType"] == "RSA"
    assert params["package"] == "prepay_id=wx201410272009395522657a690389285100"
    assert before <= int(params["timestamp"]) <= int(time.time())
    assert len(params["nonceStr"]) == 32
    exact = f"wxAPP\n{params['timestamp']}\n{params['nonceStr']}\n{params['package']}\n".encode()
    rsa_verify(load_public_key(merchant[1]), exact, params["paySign"])
    with pytest.raises(WxPayCryptoError):  # without the final newline it does not verify
        rsa_verify(load_public_key(merchant[1]), exact[:-1], params["paySign"])


def test_verify_signed_accepts_fresh_and_refuses_stale_or_future(platform) -> None:
    body = b'{"id":"EV-1"}'
    now = 1_700_000_000
    for offset in (0, 300, -300):
        headers = platform_headers(platform, body, now + offset)
        verify_signed(platform[1], headers, body, max_skew_s=300, now=now)
    for offset in (301, -301, -86400):
        with pytest.raises(WxPayError, match="window"):
            verify_signed(
                platform[1],
                platform_headers(platform, body, now + offset),
                body,
                max_skew_s=300,
                now=now,
            )


@pytest.mark.parametrize(
    "mutate",
    [
        lambda h, b: ({**h, "Wechatpay-Signature": ""}, b),
        lambda h, b: ({k: v for k, v in h.items() if k != "Wechatpay-Nonce"}, b),
        lambda h, b: ({**h, "Wechatpay-Timestamp": "soon"}, b),
        lambda h, b: ({**h, "Wechatpay-Nonce": "other"}, b),
        lambda h, b: (h, b + b" "),
        lambda h, b: (h, b"\xff\xfe"),
        lambda h, b: ({**h, "Wechatpay-Signature": base64.b64encode(b"x" * 256).decode()}, b),
    ],
)
def test_verify_signed_refuses_tampering(platform, mutate) -> None:
    body = b'{"id":"EV-1"}'
    headers, sent = mutate(platform_headers(platform, body), body)
    with pytest.raises(WxPayError):
        verify_signed(platform[1], headers, sent, max_skew_s=300)


def notification(platform, transaction: dict, ad: str = "transaction") -> tuple[dict, bytes]:
    resource = encrypt_resource(API_V3_KEY, json.dumps(transaction).encode(), ad)
    body = json.dumps(
        {"id": "EV-2", "event_type": "TRANSACTION.SUCCESS", "resource": resource}
    ).encode()
    return platform_headers(platform, body), body


def test_verify_notification_decrypts_the_transaction(merchant, platform) -> None:
    conf = make_conf(merchant, platform)
    headers, body = notification(
        platform,
        {
            "out_trade_no": "PMT2024010112000012345678",
            "transaction_id": "4200000001",
            "trade_type": "JSAPI",
            "trade_state": "SUCCESS",
            "success_time": "2024-01-01T12:00:05+08:00",
            "amount": {"total": 100, "payer_total": 90, "currency": "CNY"},
            "unknown": "ignored",
        },
    )
    tx = verify_notification(conf, headers, body)
    assert (tx.out_trade_no, tx.trade_state, tx.amount.payer_total) == (
        "PMT2024010112000012345678",
        "SUCCESS",
        90,
    )


def test_verify_notification_refuses_undecryptable_or_incomplete(merchant, platform) -> None:
    conf = make_conf(merchant, platform)
    cases = [
        notification(platform, {"out_trade_no": "PMT1"}),  # no trade_state
        notification(platform, {"x": 1}),
    ]
    # a resource encrypted with other associated data, re-signed: decrypt fails
    resource = encrypt_resource(API_V3_KEY, b'{"out_trade_no":"P","trade_state":"SUCCESS"}')
    resource["associated_data"] = "certificate"
    body = json.dumps({"resource": resource}).encode()
    cases.append((platform_headers(platform, body), body))
    body = b'{"no_resource":true}'
    cases.append((platform_headers(platform, body), body))
    for headers, sent in cases:
        with pytest.raises(WxPayError):
            verify_notification(conf, headers, sent)


async def test_jsapi_prepay_signs_the_request_and_verifies_the_answer(merchant, platform) -> None:
    seen: list[dict] = []
    forge = {"on": False}

    async def jsapi(request: web.Request) -> web.Response:
        body = await request.text()
        auth = parse_authorization(request.headers["Authorization"])
        signed = v3_message("POST", request.path, auth["timestamp"], auth["nonce_str"], body)
        rsa_verify(load_public_key(merchant[1]), signed, auth["signature"])
        seen.append(json.loads(body))
        answer = json.dumps({"prepay_id": "wx_prepay_1"}).encode()
        headers = platform_headers(platform, answer)
        if forge["on"]:
            headers = platform_headers(_pair(), answer)  # signed by someone else
        return web.Response(body=answer, headers=headers, content_type="application/json")

    app = web.Application()
    app.router.add_post(JSAPI_PATH, jsapi)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    order = JsapiOrder("wxAPP", "homestay pay", "PMT1", "homestay pay", 12345, "openid-1")
    try:
        async with aiohttp.ClientSession() as http:
            client = WxPayClient(make_conf(merchant, platform, f"http://127.0.0.1:{port}"), http)
            assert await client.jsapi_prepay(order) == "wx_prepay_1"
            forge["on"] = True
            with pytest.raises(WxPayError):
                await client.jsapi_prepay(order)
            dead_url = f"http://127.0.0.1:{free_port()}"
            dead = WxPayClient(make_conf(merchant, platform, dead_url), http)
            with pytest.raises(WxPayError):
                await dead.jsapi_prepay(order)
    finally:
        await runner.cleanup()
    assert list(seen[0]) == [
        "appid",
        "mchid",
        "description",
        "out_trade_no",
        "attach",
        "notify_url",
        "amount",
        "payer",
    ]
    assert seen[0]["amount"] == {"total": 12345, "currency": "CNY"}
    assert seen[0]["payer"] == {"openid": "openid-1"} and seen[0]["mchid"] == "1900000001"

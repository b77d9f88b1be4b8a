"""Run the WeChat sandbox: `python -m looklook_devtools.wxsandbox --port 8990`."""

from __future__ import annotations

import argparse
import os

from aiohttp import web

from . import miniprogram, pay

DEV_APP_ID = "wx2add729fadddddd"  # upstream's sample AppId
DEV_APP_SECRET = "20365395b3de9b2a9351ddddddd"  # upstream's sample secret, dev only


async def _healthz(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


def create_app(
    *,
    app_id: str = DEV_APP_ID,
    app_secret: str = DEV_APP_SECRET,
    pay_conf: pay.PayConf | None = None,
) -> web.Application:
    app = web.Application()
    miniprogram.setup(app, app_id=app_id, app_secret=app_secret)
    if pay_conf is not None:  # WeChat Pay needs keys (tools/looklook_devtools/wxkeys.py)
        pay.setup(app, pay_conf)
    app.router.add_get("/healthz", _healthz)
    return app


def _pay_conf_from_env() -> pay.PayConf | None:
    names = ("MCH_ID", "API_V3_KEY", "MERCHANT_PUBLIC_KEY", "PLATFORM_PRIVATE_KEY")
    values = [os.environ.get(f"WXSANDBOX_{n}", "") for n in names]
    return pay.PayConf(*values) if all(values) else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8990)
    args = parser.parse_args(argv)
    app = create_app(
        app_id=os.environ.get("WXSANDBOX_APP_ID", DEV_APP_ID),
        app_secret=os.environ.get("WXSANDBOX_APP_SECRET", DEV_APP_SECRET),
        pay_conf=_pay_conf_from_env(),
    )
    web.run_app(app, host=args.host, port=args.port, print=None)

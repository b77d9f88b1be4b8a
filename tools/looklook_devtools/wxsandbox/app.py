"""Run the WeChat sandbox: `python -m looklook_devtools.wxsandbox --port 8990`."""

from __future__ import annotations

import argparse
import os

from aiohttp import web

from . import miniprogram

DEV_APP_ID = "wx2add729fadddddd"  # upstream's sample AppId
DEV_APP_SECRET = "20365395b3de9b2a9351ddddddd"  # upstream's sample secret, dev only


def create_app(*, app_id: str = DEV_APP_ID, app_secret: str = DEV_APP_SECRET) -> web.Application:
    app = web.Application()
    miniprogram.setup(app, app_id=app_id, app_secret=app_secret)
    app.router.add_get("/healthz", lambda _r: web.Response(text="ok"))
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8990)
    args = parser.parse_args(argv)
    app = create_app(
        app_id=os.environ.get("WXSANDBOX_APP_ID", DEV_APP_ID),
        app_secret=os.environ.get("WXSANDBOX_APP_SECRET", DEV_APP_SECRET),
    )
    web.run_app(app, host=args.host, port=args.port, print=None)

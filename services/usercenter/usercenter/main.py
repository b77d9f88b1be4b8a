"""``looklook-usercenter api|rpc|migrate [-f CONFIG]``: what each process is made of."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
from looklook.pb import pb
from looklook.service import ApiProcess, Process, RpcProcess, cli
from looklook.web import create_app

from usercenter.api import handlers, routes
from usercenter.config import ApiSettings, RpcSettings
from usercenter.logic.accounts import Accounts
from usercenter.logic.tokens import TokenIssuer
from usercenter.logic.userapi import UserApi
from usercenter.logic.wxmini_auth import WxMiniAuth
from usercenter.models import UserAuthModel, UserModel
from usercenter.rpc.server import UsercenterServer

SERVICE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = SERVICE_DIR / "etc" / "usercenter.yaml"
MIGRATIONS = SERVICE_DIR / "migrations"


async def build_api(proc: Process) -> web.Application:
    s: ApiSettings = proc.settings
    rpc = proc.rpc_client(pb.UsercenterStub, s.usercenter_rpc)
    app = create_app(name=f"{s.name}-api", http=s.api, routes=routes.ROUTES, jwt=s.jwt)
    app[handlers.USER_API] = UserApi(rpc)
    app[handlers.WX_MINI_AUTH] = WxMiniAuth(rpc, await proc.http_client(), s.wx_mini)
    app[handlers.AUTH_JWT] = s.jwt
    routes.add_verify_routes(app)
    return app


async def build_rpc(proc: Process) -> Sequence[object]:
    s: RpcSettings = proc.settings
    db = await proc.database(s.mysql)
    cache = await proc.cache(s.cache)
    accounts = Accounts(db, UserModel(db, cache), UserAuthModel(db, cache), TokenIssuer(s.jwt))
    return [UsercenterServer(accounts)]


API = ApiProcess(ApiSettings, "api", build_api)
RPC = RpcProcess(RpcSettings, "rpc", build_rpc)


def main() -> None:
    cli(
        "usercenter",
        default_config=DEFAULT_CONFIG,
        processes={"api": API, "rpc": RPC},
        migrations=MIGRATIONS,
    )


if __name__ == "__main__":
    main()

"""``looklook-travel api|rpc|migrate [-f CONFIG]``: what each process is made of."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
from looklook.pb import pb
from looklook.service import ApiProcess, Process, RpcProcess, cli
from looklook.web import create_app

from travel.api import handlers, routes
from travel.config import ApiSettings, RpcSettings
from travel.logic.listings import Listings
from travel.models import (
    HomestayActivityModel,
    HomestayBusinessModel,
    HomestayCommentModel,
    HomestayModel,
)
from travel.rpc.server import TravelServer

SERVICE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = SERVICE_DIR / "etc" / "travel.yaml"
MIGRATIONS = SERVICE_DIR / "migrations"


async def build_api(proc: Process) -> web.Application:
    s: ApiSettings = proc.settings
    db = await proc.database(s.mysql)
    cache = await proc.cache(s.cache)
    app = create_app(name=f"{s.name}-api", http=s.api, routes=routes.ROUTES)
    app[handlers.LISTINGS] = Listings(
        homestays=HomestayModel(db, cache),
        activities=HomestayActivityModel(db, cache),
        businesses=HomestayBusinessModel(db, cache),
        comments=HomestayCommentModel(db, cache),
        travel_rpc=proc.rpc_client(pb.TravelStub, s.travel_rpc),
        usercenter_rpc=proc.rpc_client(pb.UsercenterStub, s.usercenter_rpc),
    )
    return app


async def build_rpc(proc: Process) -> Sequence[object]:
    s: RpcSettings = proc.settings
    db = await proc.database(s.mysql)
    cache = await proc.cache(s.cache)
    return [TravelServer(HomestayModel(db, cache))]


API = ApiProcess(ApiSettings, "api", build_api)
RPC = RpcProcess(RpcSettings, "rpc", build_rpc)


def main() -> None:
    cli(
        "travel",
        default_config=DEFAULT_CONFIG,
        processes={"api": API, "rpc": RPC},
        migrations=MIGRATIONS,
    )


if __name__ == "__main__":
    main()

"""A real usercenter (rpc + api) on a throwaway database, plus the WeChat sandbox."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from looklook.data.testing import confs_for, purge_keys, run_sql, scratch_database, unique_name
from looklook.settings import MySQLConf, RedisConf
from looklook.testing import free_port, process_settings, running, serve_app
from looklook_devtools.wxsandbox.app import create_app as create_sandbox
from usercenter.config import ApiSettings, RpcSettings
from usercenter.main import API, MIGRATIONS, RPC

WX_APP_ID = "wx_test_app"
WX_SECRET = "wx_test_secret"


@dataclass(frozen=True)
class Usercenter:
    api_url: str
    rpc_endpoint: str
    mysql: MySQLConf
    redis: RedisConf
    namespace: str
    jwt_secret: str
    sandbox_url: str

    async def sql(self, query: str, args: tuple = ()) -> list[dict]:
        """Run SQL directly against the service's database (assertions, fixtures)."""
        return await run_sql(self.mysql, query, args)


@pytest.fixture(scope="session")
async def sandbox() -> AsyncIterator[str]:
    async with serve_app(create_sandbox(app_id=WX_APP_ID, app_secret=WX_SECRET)) as url:
        yield url


@pytest.fixture(scope="session")
async def usercenter(infra, sandbox) -> AsyncIterator[Usercenter]:
    base, redis = confs_for(infra)
    secret = secrets.token_urlsafe(24)
    namespace = unique_name("t_uc") + ":"
    async with scratch_database(base, MIGRATIONS, "t_uc") as db:
        rpc_port = free_port()
        rpc = process_settings(
            RpcSettings,
            name="usercenter",
            mysql=db,
            cache=redis,
            jwt={"access_secret": secret},
            rpc={"host": "127.0.0.1", "port": rpc_port},
        )
        api_port = free_port()
        api = process_settings(
            ApiSettings,
            name="usercenter",
            jwt={"access_secret": secret},
            api={"host": "127.0.0.1", "port": api_port},
            usercenter_rpc={"endpoint": f"127.0.0.1:{rpc_port}"},
            wx_mini={"app_id": WX_APP_ID, "secret": WX_SECRET, "base_url": sandbox},
        )
        async with running(RPC, rpc, cache_namespace=namespace), running(API, api):
            yield Usercenter(
                f"http://127.0.0.1:{api_port}",
                f"127.0.0.1:{rpc_port}",
                db,
                redis,
                namespace,
                secret,
                sandbox,
            )
        await purge_keys(redis, namespace)


def new_mobile() -> str:
    """An 11-digit mobile number unique enough for one test run."""
    return "13" + "".join(secrets.choice("0123456789") for _ in range(9))

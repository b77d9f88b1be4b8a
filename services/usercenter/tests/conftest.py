"""A real usercenter (rpc + api) on a throwaway database, plus the WeChat sandbox."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web
from looklook.data.testing import scratch_database, unique_name
from looklook.settings import MySQLConf, RedisConf
from looklook.testing import free_port, process_settings, running
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
        import asyncmy
        from asyncmy.cursors import DictCursor

        conn = await asyncmy.connect(
            host=self.mysql.host,
            port=self.mysql.port,
            user=self.mysql.user,
            password=self.mysql.password,
            db=self.mysql.database,
            autocommit=True,
        )
        try:
            async with conn.cursor(DictCursor) as cur:
                await cur.execute(query, args)
                return list(await cur.fetchall())
        finally:
            conn.close()


@pytest.fixture(scope="session")
async def sandbox() -> AsyncIterator[str]:
    runner = web.AppRunner(create_sandbox(app_id=WX_APP_ID, app_secret=WX_SECRET))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture(scope="session")
async def usercenter(infra, sandbox) -> AsyncIterator[Usercenter]:
    base = MySQLConf(
        host=infra.mysql_host,
        port=infra.mysql_port,
        user=infra.mysql_user,
        password=infra.mysql_password,
        database="unused",
    )
    redis = RedisConf(host=infra.redis_host, port=infra.redis_port)
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
        import redis.asyncio as aioredis

        client = aioredis.Redis(host=redis.host, port=redis.port)
        keys = [k async for k in client.scan_iter(match=namespace + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture(scope="session")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def new_mobile() -> str:
    """An 11-digit mobile number unique enough for one test run."""
    return "13" + "".join(secrets.choice("0123456789") for _ in range(9))

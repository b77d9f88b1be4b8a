"""A real travel (rpc + api) and the usercenter-rpc it calls, on throwaway databases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import redis.asyncio as aioredis
from looklook.data.testing import confs_for, purge_keys, run_sql, scratch_database, unique_name
from looklook.settings import MySQLConf
from looklook.testing import free_port, process_settings, running
from travel.config import ApiSettings, RpcSettings
from travel.main import API, MIGRATIONS, RPC
from usercenter import main as uc_main
from usercenter.config import RpcSettings as UcRpcSettings


@dataclass(frozen=True)
class Travel:
    api_url: str
    rpc_endpoint: str
    mysql: MySQLConf
    uc_mysql: MySQLConf
    redis: aioredis.Redis
    namespace: str

    async def sql(self, query: str, args: tuple = ()) -> list[dict]:
        return await run_sql(self.mysql, query, args)


@pytest.fixture(scope="session")
async def travel(infra) -> AsyncIterator[Travel]:
    base, redis = confs_for(infra)
    ns = unique_name("t_travel") + ":"
    async with (
        scratch_database(base, MIGRATIONS, "t_travel") as db,
        scratch_database(base, uc_main.MIGRATIONS, "t_travel_uc") as uc_db,
    ):
        uc_port, rpc_port, api_port = free_port(), free_port(), free_port()
        uc = process_settings(
            UcRpcSettings,
            name="usercenter",
            mysql=uc_db,
            cache=redis,
            jwt={"access_secret": "s" * 32},
            rpc={"host": "127.0.0.1", "port": uc_port},
        )
        rpc = process_settings(
            RpcSettings,
            name="travel",
            mysql=db,
            cache=redis,
            rpc={"host": "127.0.0.1", "port": rpc_port},
        )
        api = process_settings(
            ApiSettings,
            name="travel",
            mysql=db,
            cache=redis,
            api={"host": "127.0.0.1", "port": api_port},
            travel_rpc={"endpoint": f"127.0.0.1:{rpc_port}"},
            usercenter_rpc={"endpoint": f"127.0.0.1:{uc_port}"},
        )
        client = aioredis.Redis(host=redis.host, port=redis.port)
        async with (
            running(uc_main.RPC, uc, cache_namespace=ns),
            running(RPC, rpc, cache_namespace=ns),
            running(API, api, cache_namespace=ns),
        ):
            yield Travel(
                f"http://127.0.0.1:{api_port}", f"127.0.0.1:{rpc_port}", db, uc_db, client, ns
            )
        await purge_keys(redis, ns)
        await client.aclose()

"""Our usercenter and travel run unchanged on databases created from upstream's dumps."""

from __future__ import annotations

import aiohttp
from looklook.data.migrate import migrate
from looklook.data.testing import (
    UPSTREAM_SQL_DIR,
    confs_for,
    purge_keys,
    run_sql,
    scratch_database,
    unique_name,
)
from looklook.settings import MySQLConf
from looklook.testing import free_port, process_settings, running
from travel import main as travel_main
from travel.config import ApiSettings as TravelApi
from travel.config import RpcSettings as TravelRpc
from usercenter import main as uc_main
from usercenter.config import ApiSettings as UcApi
from usercenter.config import RpcSettings as UcRpc

DUMPS = UPSTREAM_SQL_DIR
EPOCH = "1970-01-01 08:00:00"


async def _schema(conf: MySQLConf) -> dict[str, str]:
    rows = [tuple(r.values()) for r in await run_sql(conf, "SHOW TABLES")]
    tables = [t for (t,) in rows if t != "looklook_schema_migrations"]
    return {t: (await run_sql(conf, f"SHOW CREATE TABLE `{t}`"))[0]["Create Table"] for t in tables}


async def test_services_on_upstream_dumps(infra) -> None:
    base, redis = confs_for(infra)
    ns = unique_name("t_dump") + ":"
    async with (
        scratch_database(
            base, None, "t_dump_usercenter", upstream_dump=DUMPS / "looklook_usercenter.sql"
        ) as uc_db,
        scratch_database(
            base, None, "t_dump_travel", upstream_dump=DUMPS / "looklook_travel.sql"
        ) as tr_db,
    ):
        for conf, migrations in ((uc_db, uc_main.MIGRATIONS), (tr_db, travel_main.MIGRATIONS)):
            before = await _schema(conf)
            await migrate(conf, migrations, conf.database)
            assert await _schema(conf) == before, "migrate must be a no-op on upstream's schema"

        ports = {k: free_port() for k in ("uc_rpc", "uc_api", "tr_rpc", "tr_api")}
        secret = "dump-test-secret-0123456789-abcdef"
        uc_rpc = process_settings(
            UcRpc,
            name="usercenter",
            mysql=uc_db,
            cache=redis,
            jwt={"access_secret": secret},
            rpc={"host": "127.0.0.1", "port": ports["uc_rpc"]},
        )
        uc_api = process_settings(
            UcApi,
            name="usercenter",
            jwt={"access_secret": secret},
            api={"host": "127.0.0.1", "port": ports["uc_api"]},
            usercenter_rpc={"endpoint": f"127.0.0.1:{ports['uc_rpc']}"},
            wx_mini={"app_id": "wx", "base_url": "http://127.0.0.1:9"},
        )
        tr_rpc = process_settings(
            TravelRpc,
            name="travel",
            mysql=tr_db,
            cache=redis,
            rpc={"host": "127.0.0.1", "port": ports["tr_rpc"]},
        )
        tr_api = process_settings(
            TravelApi,
            name="travel",
            mysql=tr_db,
            cache=redis,
            api={"host": "127.0.0.1", "port": ports["tr_api"]},
            travel_rpc={"endpoint": f"127.0.0.1:{ports['tr_rpc']}"},
            usercenter_rpc={"endpoint": f"127.0.0.1:{ports['uc_rpc']}"},
        )
        await run_sql(
            tr_db,
            "INSERT INTO homestay (title, food_info, homestay_price, delete_time)"
            " VALUES ('dump home', 'none', 12345, %s)",
            (EPOCH,),
        )
        [(hid,)] = [tuple(r.values()) for r in await run_sql(tr_db, "SELECT MAX(id) FROM homestay")]
        await run_sql(
            tr_db,
            "INSERT INTO homestay_activity (row_type, data_id, row_status,"
            " delete_time) VALUES ('preferredHomestay', %s, 1, %s)",
            (hid, EPOCH),
        )
        async with (
            running(uc_main.RPC, uc_rpc, cache_namespace=ns),
            running(uc_main.API, uc_api),
            running(travel_main.RPC, tr_rpc, cache_namespace=ns),
            running(travel_main.API, tr_api, cache_namespace=ns),
            aiohttp.ClientSession() as http,
        ):
            uc = f"http://127.0.0.1:{ports['uc_api']}/usercenter/v1/user/"
            creds = {"mobile": "13712345678", "password": "pw"}
            async with http.post(uc + "register", json=creds) as r:
                assert r.status == 200
            async with http.post(uc + "login", json=creds) as r:
                token = (await r.json())["data"]["accessToken"]
            async with http.post(uc + "detail", json={}, headers={"Authorization": token}) as r:
                assert (await r.json())["data"]["userInfo"]["mobile"] == creds["mobile"]
            tr = f"http://127.0.0.1:{ports['tr_api']}/travel/v1/homestay/"
            async with http.post(tr + "homestayList", json={"page": 1, "pageSize": 5}) as r:
                [item] = (await r.json())["data"]["list"]
                assert item["title"] == "dump home" and item["homestayPrice"] == 123.45
            async with http.post(tr + "homestayDetail", json={"id": hid}) as r:
                assert (await r.json())["data"]["homestay"]["id"] == hid
        await purge_keys(redis, ns)

"""Every benchmark runs end to end at a tiny iteration count, so `make bench` can't rot.

Timings are not asserted (they depend on the machine); what is checked is that each
benchmark produced rows with sane, internally consistent figures and cleaned up.
"""

from __future__ import annotations

import subprocess
import sys

import asyncmy
from looklook.settings import MySQLConf, RedisConf
from looklook_devtools import bench


def stores_for(infra) -> bench.Stores:
    mysql = MySQLConf(
        host=infra.mysql_host,
        port=infra.mysql_port,
        user=infra.mysql_user,
        password=infra.mysql_password,
        database="unset",
    )
    return bench.Stores(mysql, RedisConf(host=infra.redis_host, port=infra.redis_port))


async def bench_databases(conf: MySQLConf) -> set[str]:
    conn = await asyncmy.connect(
        host=conf.host, port=conf.port, user=conf.user, password=conf.password
    )
    try:
        async with conn.cursor() as cur:
            await cur.execute("SHOW DATABASES LIKE 't\\_bench\\_%'")
            return {row[0] for row in await cur.fetchall()}
    finally:
        conn.close()


async def test_every_benchmark_runs_and_reports(infra):
    stores = stores_for(infra)
    before = await bench_databases(stores.mysql)
    seen: list[bench.Result] = []

    results = await bench.run(scale=0.002, stores=stores, on_result=seen.append)

    assert results == seen
    prefixes = {"gojson", "stdlib", "bind", "HomestayModel", "grpc", "http", "jwt"}
    assert {r.name.split()[0].split(".")[0] for r in results} == prefixes
    for r in results:
        assert r.iterations >= 1 and r.ops_per_s > 0, r
        assert 0 < r.p50_ns <= r.p99_ns, r
        assert r.rss_bytes > 0
    cpu_bound = [r for r in results if r.name.startswith(("gojson", "stdlib", "bind", "jwt"))]
    assert all(r.peak_op_bytes is not None and r.peak_op_bytes > 0 for r in cpu_bound)
    table = bench.format_table(results)
    assert len(table.splitlines()) == len(results) + 2
    assert await bench_databases(stores.mysql) == before  # scratch database dropped


def test_cli_runs_one_benchmark():
    """`python -m looklook_devtools.bench --quick --only jwt`, as `make bench` runs it."""
    cmd = [sys.executable, "-m", "looklook_devtools.bench", "--quick", "--only", "jwt"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("jwt verify HS256") for line in lines), done.stdout
    assert "ops/s" in lines[1] and not any(line.startswith("gojson") for line in lines)

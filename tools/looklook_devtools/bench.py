"""`make bench`: micro-benchmarks of the hot paths, printed as one table.

Each benchmark warms up, then runs a fixed number of iterations timed with
``time.perf_counter_ns``; the table shows throughput, p50/p99 latency, the peak
memory traced (``tracemalloc``) during one operation for the CPU-bound cases, and the
process's RSS high-water mark after the benchmark. Figures are for comparing commits
on the same machine, not assertions: nothing here fails on a slow result.

    python -m looklook_devtools.bench            # everything, full counts
    python -m looklook_devtools.bench --quick    # a tenth of the iterations
    python -m looklook_devtools.bench --only grpc --only http

The model benchmark needs MariaDB and Redis (``LOOKLOOK_TEST_MYSQL_*`` /
``LOOKLOOK_TEST_REDIS_*``, defaults 127.0.0.1); it uses a scratch database that is
dropped afterwards and a unique Redis namespace. The rest is in-process on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import socket
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import travel
from looklook import gojson
from looklook.data.testing import scratch_stores
from looklook.pb import pb
from looklook.rpc import create_rpc_server, rpc_client
from looklook.settings import HttpConf, JwtConf, MySQLConf, RedisConf, RpcClientConf, RpcServerConf
from looklook.web import Route, create_app, issue_token, parse_body, start_http, validate_request
from looklook.web.auth import user_id_from_claims, verify_token
from looklook.web.envelope import ok_body
from order.api.types import CreateHomestayOrderReq
from travel.api import types as travel_types
from travel.logic.views import homestay_view
from travel.models import Homestay, HomestayModel

from . import seed_data

__all__ = ["BENCHMARKS", "Result", "Stores", "format_table", "main", "run"]

CONCURRENCY = 50
TRAVEL_SQL_DIR = Path(travel.__file__).resolve().parents[1] / "migrations"


# -- measuring ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    """One table row; latencies in nanoseconds, memory in bytes (None = not measured)."""

    name: str
    iterations: int
    ops_per_s: float
    p50_ns: int
    p99_ns: int
    peak_op_bytes: int | None = None
    rss_bytes: int = 0
    note: str = ""


def _pct(sorted_ns: Sequence[int], q: float) -> int:
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))]


def _max_rss() -> int:
    """Process RSS high-water mark (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _result(
    name: str, lat: list[int], elapsed_ns: int, *, peak: int | None = None, note: str = ""
) -> Result:
    lat.sort()
    return Result(
        name=name,
        iterations=len(lat),
        ops_per_s=len(lat) * 1e9 / max(elapsed_ns, 1),
        p50_ns=_pct(lat, 0.50),
        p99_ns=_pct(lat, 0.99),
        peak_op_bytes=peak,
        rss_bytes=_max_rss(),
        note=note,
    )


def _traced_peak(fn: Callable[[], object], samples: int = 20) -> int:
    """Largest tracemalloc peak above the baseline seen during one call of ``fn``.

    Run apart from the timed loop: tracing slows every allocation several-fold.
    """
    tracemalloc.start()
    try:
        worst = 0
        for _ in range(samples):
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            fn()
            worst = max(worst, tracemalloc.get_traced_memory()[1] - base)
        return worst
    finally:
        tracemalloc.stop()


def bench_sync(name: str, fn: Callable[[], object], n: int, *, note: str = "") -> Result:
    """Sequential timing of a CPU-bound call, plus its traced peak memory."""
    for _ in range(max(10, n // 10)):
        fn()
    lat = [0] * n
    clock = time.perf_counter_ns
    for i in range(n):
        t0 = clock()
        fn()
        lat[i] = clock() - t0
    return _result(name, lat, sum(lat), peak=_traced_peak(fn), note=note)


async def bench_async(
    name: str,
    call: Callable[[], Awaitable[object]],
    n: int,
    *,
    before_each: Callable[[], Awaitable[object]] | None = None,
    note: str = "",
) -> Result:
    """Sequential latency of an awaitable; ``before_each`` runs untimed (e.g. evict)."""
    for _ in range(max(5, n // 10)):
        if before_each is not None:
            await before_each()
        await call()
    lat = [0] * n
    clock = time.perf_counter_ns
    for i in range(n):
        if before_each is not None:
            await before_each()
        t0 = clock()
        await call()
        lat[i] = clock() - t0
    return _result(name, lat, sum(lat), note=note)


async def bench_concurrent(
    name: str, call: Callable[[], Awaitable[object]], n: int, *, note: str = ""
) -> Result:
    """Throughput with ``CONCURRENCY`` calls in flight; latency is per call under load."""
    lat: list[int] = []
    clock = time.perf_counter_ns

    async def worker(count: int) -> None:
        for _ in range(count):
            t0 = clock()
            await call()
            lat.append(clock() - t0)

    def split(total: int) -> list[int]:
        return [total // CONCURRENCY + (i < total % CONCURRENCY) for i in range(CONCURRENCY)]

    await asyncio.gather(*(worker(k) for k in split(max(CONCURRENCY, n // 10))))
    lat.clear()
    start = clock()
    await asyncio.gather(*(worker(k) for k in split(n)))
    return _result(name, lat, clock() - start, note=note)


# -- fixtures shared by the benchmarks ------------------------------------------------


def demo_homestays() -> list[Homestay]:
    """The 20 seed homestays as model rows (Chinese titles, realistic lengths)."""
    rows = []
    for b_index, shop in enumerate(seed_data.BUSINESSES):
        for h_index, h in enumerate(shop.homestays):
            rows.append(
                Homestay(
                    id=len(rows) + 1,
                    title=h.title,
                    sub_title=h.sub_title,
                    banner=seed_data.banner_for(b_index, h_index),
                    info=h.info,
                    people_num=h.people_num,
                    homestay_business_id=b_index + 1,
                    user_id=b_index + 1,
                    row_type=h.row_type,
                    food_info=h.food_info,
                    food_price=h.food_price_fen,
                    homestay_price=h.price_fen,
                    market_homestay_price=h.market_price_fen,
                )
            )
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Stores:
    """Where the model benchmark's scratch database and cache namespace are made."""

    mysql: MySQLConf
    redis: RedisConf

    @classmethod
    def from_env(cls) -> Stores:
        env = os.environ.get
        mysql = MySQLConf(
            host=env("LOOKLOOK_TEST_MYSQL_HOST", "127.0.0.1"),
            port=int(env("LOOKLOOK_TEST_MYSQL_PORT", "3306")),
            user=env("LOOKLOOK_TEST_MYSQL_USER", "root"),
            password=env("LOOKLOOK_TEST_MYSQL_PASSWORD", ""),
            database="unset",
        )
        redis = RedisConf(
            host=env("LOOKLOOK_TEST_REDIS_HOST", "127.0.0.1"),
            port=int(env("LOOKLOOK_TEST_REDIS_PORT", "6379")),
        )
        return cls(mysql, redis)


# -- the benchmarks --------------------------------------------------------------------


async def gojson_bench(n: int, stores: Stores) -> list[Result]:
    """homestayList response (20 items) through gojson vs stdlib json."""
    resp = travel_types.HomestayListResp(list=[homestay_view(h) for h in demo_homestays()])
    plain = {"code": 200, "msg": "OK", "data": resp.model_dump(by_alias=True)}
    size = len(ok_body(resp))

    def stdlib() -> bytes:
        return json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()

    return [
        bench_sync("gojson ok_body(homestayList)", lambda: ok_body(resp), n, note=f"{size} B"),
        bench_sync(
            "gojson.dumps(dict)", lambda: gojson.dumps(plain), n, note="same data, no model"
        ),
        bench_sync("stdlib json.dumps(dict)", stdlib, n, note="not Go-compatible"),
    ]


async def bind_bench(n: int, stores: Stores) -> list[Result]:
    """createHomestayOrder body: decode + strict validation, and the 100002 error path."""
    good = json.dumps(
        {
            "homestayId": 7,
            "isFood": True,
            "liveStartTime": 1767225600,
            "liveEndTime": 1767398400,
            "livePeopleNum": 2,
            "remark": "晚上九点后到，麻烦留灯",
        },
        ensure_ascii=False,
    ).encode()
    bad = good.replace(b'"livePeopleNum":2', b'"livePeopleNum":"2"')

    def bind_good() -> object:
        return validate_request(CreateHomestayOrderReq, parse_body(good))

    def bind_bad() -> object:
        try:
            return validate_request(CreateHomestayOrderReq, parse_body(bad))
        except Exception as exc:  # the CodeError(100002) the envelope would carry
            return exc

    return [
        bench_sync("bind createHomestayOrder", bind_good, n),
        bench_sync("bind createHomestayOrder (bad)", bind_bad, n, note="100002 path"),
    ]


async def model_bench(n: int, stores: Stores) -> list[Result]:
    """HomestayModel.find_one: Redis hit vs MySQL miss (key evicted untimed each time)."""
    async with scratch_stores(stores.mysql, stores.redis, TRAVEL_SQL_DIR, "t_bench") as (db, cache):
        model = HomestayModel(db, cache)
        row = demo_homestays()[0]
        row.id = 0
        hid = await model.insert(row)
        key = model.id_key(hid)

        async def evict() -> None:
            await cache.delete(key)

        hit = await bench_async("HomestayModel.find_one hit", lambda: model.find_one(hid), n)
        miss = await bench_async(
            "HomestayModel.find_one miss",
            lambda: model.find_one(hid),
            n,
            before_each=evict,
            note="SELECT + SET",
        )
        return [hit, miss]


class _BenchTravel(pb.TravelBase):
    """A travel servicer without storage, so the figure is the RPC stack alone."""

    def __init__(self, homestay: pb.Homestay) -> None:
        self.homestay = homestay

    async def homestay_detail(self, homestay_detail_req: pb.HomestayDetailReq) -> Any:
        return pb.HomestayDetailResp(homestay=self.homestay)


async def grpc_bench(n: int, stores: Stores) -> list[Result]:
    """travel homestayDetail over looklook.rpc on 127.0.0.1."""
    h = demo_homestays()[0]
    servicer = _BenchTravel(pb.Homestay(**{k: getattr(h, k) for k in pb.Homestay().to_dict()}))
    conf = RpcServerConf(host="127.0.0.1", port=free_port())
    server = create_rpc_server([servicer], name="bench-travel-rpc", conf=conf, mode="pro")
    await server.start()
    client = rpc_client(pb.TravelStub, RpcClientConf(endpoint=f"127.0.0.1:{conf.port}"))
    try:

        def call() -> Awaitable[object]:
            return client.homestay_detail(pb.HomestayDetailReq(id=1))

        return [
            await bench_async("grpc homestayDetail sequential", call, n),
            await bench_concurrent(
                f"grpc homestayDetail c={CONCURRENCY}", call, n, note="one channel"
            ),
        ]
    finally:
        client.close()
        await server.stop(grace=1.0)


async def http_bench(n: int, stores: Stores) -> list[Result]:
    """One looklook.web route (full middleware chain) driven by aiohttp in-process."""
    detail = travel_types.HomestayDetailResp(homestay=homestay_view(demo_homestays()[0]))

    async def handler(request: aiohttp.web.Request, req: travel_types.IdReq) -> object:
        return detail

    http = HttpConf(host="127.0.0.1", port=free_port())
    path = "/travel/v1/homestay/homestayDetail"
    app = create_app(name="bench-api", http=http, routes=[Route(path, handler, travel_types.IdReq)])
    runner = await start_http(app, http, shutdown_timeout=1.0)
    url = f"http://127.0.0.1:{http.port}{path}"
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    try:
        async with aiohttp.ClientSession(connector=connector) as session:

            async def call() -> None:
                async with session.post(url, json={"id": 1}) as resp:
                    await resp.read()
                    if resp.status != 200:
                        raise RuntimeError(f"bench route answered {resp.status}")

            return [
                await bench_async("http homestayDetail sequential", call, n),
                await bench_concurrent(
                    f"http homestayDetail c={CONCURRENCY}", call, n, note="client in same loop"
                ),
            ]
    finally:
        await runner.cleanup()


async def jwt_bench(n: int, stores: Stores) -> list[Result]:
    """What a protected route pays per request to check its bearer token."""
    conf = JwtConf(access_secret="bench-secret-0123456789abcdefghijklm", access_expire=3600)
    token = issue_token(conf, 42).access_token

    def verify() -> int:
        return user_id_from_claims(verify_token(token, conf.access_secret))

    return [bench_sync("jwt verify HS256", verify, n)]


Bench = Callable[[int, Stores], Awaitable[list[Result]]]

BENCHMARKS: dict[str, tuple[Bench, int]] = {
    "gojson": (gojson_bench, 5000),
    "bind": (bind_bench, 20000),
    "model": (model_bench, 2000),
    "grpc": (grpc_bench, 5000),
    "http": (http_bench, 5000),
    "jwt": (jwt_bench, 20000),
}
"""Name → (benchmark, full iteration count)."""


async def run(
    names: Sequence[str] | None = None,
    *,
    scale: float = 1.0,
    stores: Stores | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run the named benchmarks (all by default) at ``scale`` × their iteration count."""
    stores = stores or Stores.from_env()
    results: list[Result] = []
    for name in names or list(BENCHMARKS):
        bench, count = BENCHMARKS[name]
        for result in await bench(max(1, int(count * scale)), stores):
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


# -- output ---------------------------------------------------------------------------


def _dur(ns: int) -> str:
    if ns >= 1_000_000:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.1f} µs"


def _kib(b: int | None) -> str:
    return "-" if b is None else f"{b / 1024:.1f}"


HEADER = (
    f"{'benchmark':<36} {'iters':>6} {'ops/s':>10} {'p50':>10} {'p99':>10} "
    f"{'peak KiB/op':>11} {'RSS MiB':>8}  note"
)


def format_row(r: Result) -> str:
    return (
        f"{r.name:<36} {r.iterations:>6} {r.ops_per_s:>10,.0f} {_dur(r.p50_ns):>10} "
        f"{_dur(r.p99_ns):>10} {_kib(r.peak_op_bytes):>11} {r.rss_bytes / 2**20:>8.1f}  {r.note}"
    )


def format_table(results: Sequence[Result]) -> str:
    return "\n".join([HEADER, "-" * len(HEADER), *map(format_row, results)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="looklook_devtools.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the iterations")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    args = parser.parse_args(argv)
    # asyncmy logs MariaDB's notes (the migration's "database exists") as warnings.
    logging.getLogger("asyncmy").setLevel(logging.ERROR)
    print(
        f"# looklook bench, python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{time.strftime('%Y-%m-%d %H:%M')}",
        flush=True,
    )
    print(HEADER, "-" * len(HEADER), sep="\n", flush=True)
    asyncio.run(
        run(
            args.only,
            scale=0.1 if args.quick else 1.0,
            on_result=lambda r: print(format_row(r), flush=True),
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

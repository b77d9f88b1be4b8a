"""Prometheus metric families with go-zero's names and labels (config-and-ports.md §4).

Defined once here so every layer (web, rpc, data) records into the same families and
upstream dashboards keep working. All use the default registry served by ``ops``.
"""

from __future__ import annotations

from typing import Final

from prometheus_client import Counter, Histogram

__all__ = [
    "BUCKETS_MS",
    "HTTP_SERVER_CODE",
    "HTTP_SERVER_DURATION",
    "REDIS_CLIENT_DURATION",
    "REDIS_CLIENT_ERROR",
    "REDIS_CLIENT_SLOW",
    "RPC_CLIENT_CODE",
    "RPC_CLIENT_DURATION",
    "RPC_SERVER_CODE",
    "RPC_SERVER_DURATION",
    "SQL_CLIENT_DURATION",
    "SQL_CLIENT_ERROR",
    "SQL_CLIENT_SLOW",
    "SLOW_THRESHOLD_MS",
]

#: go-zero's latency buckets in milliseconds.
BUCKETS_MS: Final = (5, 10, 25, 50, 100, 250, 500, 1000)
#: go-zero's slow-call threshold for SQL and Redis (500 ms).
SLOW_THRESHOLD_MS: Final = 500

HTTP_SERVER_DURATION: Final = Histogram(
    "http_server_requests_duration_ms",
    "http server requests duration(ms).",
    ["path", "method", "code"],
    buckets=BUCKETS_MS,
)
HTTP_SERVER_CODE: Final = Counter(
    "http_server_requests_code",  # exposed as http_server_requests_code_total
    "http server requests error count.",
    ["path", "method", "code"],
)

RPC_SERVER_DURATION: Final = Histogram(
    "rpc_server_requests_duration_ms",
    "rpc server requests duration(ms).",
    ["method"],
    buckets=BUCKETS_MS,
)
RPC_SERVER_CODE: Final = Counter(
    "rpc_server_requests_code", "rpc server requests code count.", ["method", "code"]
)

RPC_CLIENT_DURATION: Final = Histogram(
    "rpc_client_requests_duration_ms",
    "rpc client requests duration(ms).",
    ["method"],
    buckets=BUCKETS_MS,
)
RPC_CLIENT_CODE: Final = Counter(
    "rpc_client_requests_code", "rpc client requests code count.", ["method", "code"]
)

SQL_CLIENT_DURATION: Final = Histogram(
    "sql_client_requests_duration_ms",
    "mysql client requests duration(ms).",
    ["command"],
    buckets=BUCKETS_MS,
)
SQL_CLIENT_ERROR: Final = Counter(
    "sql_client_requests_error", "mysql client requests error count.", ["command", "error"]
)
SQL_CLIENT_SLOW: Final = Counter(
    "sql_client_requests_slow", "mysql client requests slow count.", ["command"]
)

REDIS_CLIENT_DURATION: Final = Histogram(
    "redis_client_requests_duration_ms",
    "redis client requests duration(ms).",
    ["command"],
    buckets=BUCKETS_MS,
)
REDIS_CLIENT_ERROR: Final = Counter(
    "redis_client_requests_error", "redis client requests error count.", ["command", "error"]
)
REDIS_CLIENT_SLOW: Final = Counter(
    "redis_client_requests_slow", "redis client requests slow count.", ["command"]
)

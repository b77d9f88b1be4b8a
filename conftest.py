"""Session-wide test settings: where the real MariaDB, Redis and Kafka are.

Tests never mock these. Addresses come from the environment so CI and a developer's
machine can differ; the defaults are the local stack's (services.yaml).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest


@dataclass(frozen=True)
class Infra:
    mysql_host: str = os.environ.get("LOOKLOOK_TEST_MYSQL_HOST", "127.0.0.1")
    mysql_port: int = int(os.environ.get("LOOKLOOK_TEST_MYSQL_PORT", "3306"))
    mysql_user: str = os.environ.get("LOOKLOOK_TEST_MYSQL_USER", "root")
    mysql_password: str = os.environ.get("LOOKLOOK_TEST_MYSQL_PASSWORD", "")
    redis_host: str = os.environ.get("LOOKLOOK_TEST_REDIS_HOST", "127.0.0.1")
    redis_port: int = int(os.environ.get("LOOKLOOK_TEST_REDIS_PORT", "6379"))
    kafka_bootstrap: str = os.environ.get("LOOKLOOK_TEST_KAFKA", "127.0.0.1:9092")
    gateway_url: str = os.environ.get("LOOKLOOK_TEST_GATEWAY", "http://127.0.0.1:8888")


@pytest.fixture(scope="session")
def infra() -> Infra:
    return Infra()


@pytest.fixture(scope="session")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """One HTTP client for the whole session (tests call services on real sockets)."""
    async with aiohttp.ClientSession() as session:
        yield session


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI the compatibility tests on upstream's own dumps must run, never skip."""
    if os.environ.get("CI") == "true":
        from looklook.data.testing import UPSTREAM_SQL_DIR

        if not UPSTREAM_SQL_DIR.is_dir():
            raise pytest.UsageError(
                f"upstream SQL dumps not found at {UPSTREAM_SQL_DIR}; "
                "set LOOKLOOK_UPSTREAM_SQL_DIR"
            )

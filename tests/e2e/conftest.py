"""The e2e tests run against the real local stack (`make up`): gateway, services, sandbox."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from urllib.parse import urlparse

import aiohttp
import pytest
from looklook.data.testing import confs_for, run_sql
from looklook_devtools import servicelist
from looklook_devtools.demo import Demo


def _listening(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 80), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def stack_urls(infra) -> tuple[str, str]:
    services = servicelist.load()
    sandbox = f"http://127.0.0.1:{services.infra.wechat_sandbox['port']}"
    for name, url in (("gateway", infra.gateway_url), ("WeChat sandbox", sandbox)):
        if not _listening(url):
            pytest.fail(
                f"the local stack is not up ({name} {url} unreachable): run `make up` first"
            )
    return infra.gateway_url, sandbox


@pytest.fixture
async def demo(stack_urls) -> AsyncIterator[Demo]:
    gateway, sandbox = stack_urls
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
        yield Demo(gateway, sandbox, http, say=lambda _m: None)


async def sql(infra, database: str, query: str, args: tuple = ()) -> list[dict]:
    """Read the stack's own database (assertions only)."""
    mysql, _redis = confs_for(infra)
    return await run_sql(mysql.model_copy(update={"database": database}), query, args)

"""The real `looklook-mqueue dashboard` process: serves the dashboard and its ops port,
and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
from looklook.testing import free_port

CLI = Path(sys.executable).parent / "looklook-mqueue"
START_LIMIT_S = 60.0  # the dashboard's imports are slow on a busy 2-core machine


async def _status(http: aiohttp.ClientSession, url: str) -> int | None:
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=2)) as resp:
            return resp.status
    except (aiohttp.ClientError, TimeoutError):
        return None


async def test_dashboard_process_serves_and_stops_cleanly(infra, tmp_path):
    ui, ops = free_port(), free_port()
    env = {
        **os.environ,
        "LOOKLOOK_MODE": "test",
        "LOOKLOOK_OPS__PORT": str(ops),
        "LOOKLOOK_DASHBOARD__PORT": str(ui),
        "LOOKLOOK_DASHBOARD__HOST": "127.0.0.1",
        "LOOKLOOK_DASHBOARD__DATABASE_DSN": f"sqlite+aiosqlite:///{tmp_path / 'dash.db'}",
        "LOOKLOOK_REDIS__HOST": infra.redis_host,
        "LOOKLOOK_REDIS__PORT": str(infra.redis_port),
        "LOOKLOOK_REDIS__DB": "5",
        "LOOKLOOK_JOBS__NAMESPACE": "t_mqueue_dash",
    }
    log = (tmp_path / "dashboard.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        str(CLI), "dashboard", env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(int(START_LIMIT_S / 0.25)):
                assert proc.returncode is None, (tmp_path / "dashboard.log").read_text()
                if await _status(http, f"http://127.0.0.1:{ui}/") == 200:
                    break
                await asyncio.sleep(0.25)
            else:
                raise AssertionError("dashboard never answered 200")
            assert await _status(http, f"http://127.0.0.1:{ops}/readyz") == 200
            assert await _status(http, f"http://127.0.0.1:{ops}/healthz") == 200
            await asyncio.sleep(1.5)  # it stays up (it used to quit right after start)
            assert await _status(http, f"http://127.0.0.1:{ui}/") == 200
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 20) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        log.close()
    output = (tmp_path / "dashboard.log").read_text()
    assert "Traceback" not in output and "Unexpected exit" not in output, output
    assert not (tmp_path / "taskiq_dashboard.db").exists()  # nothing written to the cwd

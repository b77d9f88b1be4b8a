"""`looklook-dev`: the local stack's command line (`make up` / `make down` call it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import gateway, prometheus, servicelist
from .stack import Stack, StackError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="looklook-dev", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the whole system locally")
    up.add_argument("--timeout", type=float, default=120.0)
    up.add_argument("--no-seed", action="store_true")
    up.add_argument("--only", help="comma-separated services to start, e.g. usercenter,travel")
    sub.add_parser("down", help="stop what `up` started")
    sub.add_parser("procfile", help="print the Procfile `up` would run")
    gw = sub.add_parser("gateway", help="print the nginx config for the gateway")
    gw.add_argument("--prefix", type=Path, default=Path(".run/nginx").resolve())
    sub.add_parser("prometheus", help="print the local Prometheus config (scrape + rules)")
    args = parser.parse_args(argv)

    services = servicelist.default()
    only = getattr(args, "only", None)
    selected = frozenset(only.split(",")) if only else None
    if selected and not selected <= services.services.keys():
        unknown = ", ".join(sorted(selected - services.services.keys()))
        print(f"looklook-dev: unknown service(s): {unknown}", file=sys.stderr)
        return 2
    stack = Stack(services, only=selected)
    try:
        if args.command == "up":
            stack.up(timeout_s=args.timeout, seed=not args.no_seed)
        elif args.command == "down":
            stack.down()
        elif args.command == "procfile":
            print(stack.procfile(with_kafka=True), end="")
        elif args.command == "gateway":
            print(gateway.render(stack.services, gateway.GatewayPaths(args.prefix)), end="")
        elif args.command == "prometheus":
            print(prometheus.render(stack.services, only=stack.only), end="")
    except StackError as exc:
        print(f"looklook-dev: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

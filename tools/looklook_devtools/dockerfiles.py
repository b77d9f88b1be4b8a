"""Render `Dockerfile.template` into one Dockerfile per service.

One template keeps every image identical in shape (base, user, labels, layers); only the
service name, its package and its processes differ, and those come from `services.yaml`.
Usage: `python tools/render_dockerfiles.py [--out DIR | --stdout] [SERVICE ...]`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import servicelist

REPO_ROOT = servicelist.REPO_ROOT
TEMPLATE = REPO_ROOT / "Dockerfile.template"
DEFAULT_OUT = REPO_ROOT / "build" / "docker"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


class RenderError(Exception):
    """The template has a placeholder nobody fills, or the service is unknown."""


def package_name(service: str) -> str:
    """The uv workspace member (and console script) of a service."""
    return f"looklook-{service}"


def member_pyprojects(root: Path = REPO_ROOT) -> list[str]:
    """Every workspace member's pyproject.toml, relative to the repo, sorted.

    uv needs all of them to understand the workspace even when it installs one member.
    """
    found = [root / "libs" / "pyproject.toml", root / "tools" / "pyproject.toml"]
    found += sorted((root / "services").glob("*/pyproject.toml"))
    return [p.relative_to(root).as_posix() for p in found if p.is_file()]


def render(service: str, template: str | None = None, root: Path = REPO_ROOT) -> str:
    """The Dockerfile text of one service."""
    services = servicelist.load(root / "services.yaml").services
    if service not in services:
        raise RenderError(f"unknown service {service!r}; services.yaml has {sorted(services)}")
    processes = list(services[service].processes)
    copies = "\n".join(f"COPY {p} {p.rsplit('/', 1)[0]}/" for p in member_pyprojects(root))
    fields = {
        "service": service,
        "package": package_name(service),
        "process": processes[0],
        "processes": ", ".join(processes),
        "member_pyprojects": copies,
    }
    text = template if template is not None else TEMPLATE.read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in fields:
            raise RenderError(f"Dockerfile.template: unknown placeholder {{{{{key}}}}}")
        return fields[key]

    return _PLACEHOLDER.sub(fill, text)


def write_all(out: Path = DEFAULT_OUT, services: list[str] | None = None) -> list[Path]:
    """Render the named services (default: all) into `out/<service>.Dockerfile`."""
    names = services or list(servicelist.default().services)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        path = out / f"{name}.Dockerfile"
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="render_dockerfiles", description=__doc__.split("\n")[0])
    parser.add_argument("services", nargs="*", help="services to render (default: all)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    where.add_argument("--stdout", action="store_true", help="print instead of writing files")
    args = parser.parse_args(argv)
    try:
        if args.stdout:
            for name in args.services or list(servicelist.default().services):
                sys.stdout.write(render(name))
        else:
            for path in write_all(args.out, args.services):
                print(path)
    except RenderError as exc:
        print(f"render_dockerfiles: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

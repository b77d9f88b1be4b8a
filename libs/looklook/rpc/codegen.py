"""Generate libs/looklook/pb from protos/*.proto with betterproto (`make gen`).

Usage: ``python -m looklook.rpc.codegen [--out DIR] [--check]``.

The output is a pure function of the .proto files and the pinned generator versions
(uv.lock), so the checked-in code can be compared with a fresh run
(libs/tests/test_pb_drift.py). All four files share ``package pb``, so betterproto
writes one module, ``looklook/pb/pb/__init__.py``; ``looklook/pb/__init__.py``
re-exports it so callers write ``from looklook.pb import pb`` or
``from looklook.pb import TravelStub``. ``descriptors.binpb`` (a FileDescriptorSet) feeds
server reflection, which betterproto's dataclasses cannot answer on their own.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
PROTO_DIR = REPO_ROOT / "protos"
PB_DIR = REPO_ROOT / "libs" / "looklook" / "pb"
DESCRIPTOR_SET = "descriptors.binpb"
GENERATED_SUFFIXES = (".py", ".binpb")

PACKAGE_INIT = '''\
"""Generated protobuf messages and gRPC stubs (package ``pb``). Do not edit: run `make gen`.

Sources: protos/*.proto. ``from looklook.pb import pb`` gives the generated module;
its names are also re-exported here.
"""

from . import pb
from .pb import *  # noqa: F401,F403
'''


def _plugin_path() -> str:
    """The betterproto protoc plugin installed next to the running interpreter."""
    plugin = Path(sys.executable).parent / "protoc-gen-python_betterproto"
    if plugin.exists():
        return str(plugin)
    found = shutil.which("protoc-gen-python_betterproto")
    if found is None:
        raise SystemExit("protoc-gen-python_betterproto not found: install betterproto[compiler]")
    return found


def generate(out_dir: Path, proto_dir: Path = PROTO_DIR) -> list[Path]:
    """Write the generated package into ``out_dir`` (created); return the files, sorted."""
    protos = sorted(p.name for p in proto_dir.glob("*.proto"))
    if not protos:
        raise SystemExit(f"no .proto files in {proto_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        f"-I{proto_dir}",
        f"--plugin=protoc-gen-python_betterproto={_plugin_path()}",
        f"--python_betterproto_out={out_dir}",
        f"--descriptor_set_out={out_dir / DESCRIPTOR_SET}",
        *protos,
    ]
    proc = subprocess.run(cmd, cwd=proto_dir, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"protoc failed ({proc.returncode}):\n{proc.stderr}")
    (out_dir / "__init__.py").write_text(PACKAGE_INIT, encoding="utf-8")
    return _generated_files(out_dir)


def _generated_files(root: Path) -> list[Path]:
    """Files the generator owns under ``root`` (caches and other stray files ignored)."""
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in GENERATED_SUFFIXES
    )


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths of generated files that differ, are missing, or are extra in ``actual``."""
    exp = {p.relative_to(expected) for p in _generated_files(expected)}
    act = {p.relative_to(actual) for p in _generated_files(actual)}
    diff = sorted(str(p) for p in exp ^ act)
    diff += sorted(
        str(p) for p in exp & act if not filecmp.cmp(expected / p, actual / p, shallow=False)
    )
    return diff


def _replace_tree(src: Path, dst: Path) -> None:
    """Make ``dst`` hold exactly the generated files of ``src`` (stale ones removed)."""
    for old in _generated_files(dst):
        old.unlink()
    for new in _generated_files(src):
        target = dst / new.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(new, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PB_DIR, help="target package directory")
    parser.add_argument(
        "--check", action="store_true", help="only report drift; exit 1 when files differ"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="looklook-pb-") as tmp:
        fresh = Path(tmp) / "pb"
        generate(fresh)
        drift = differences(fresh, args.out)
        if args.check:
            for path in drift:
                print(f"out of date: {args.out / path}", file=sys.stderr)
            if drift:
                print("run `make gen` to regenerate libs/looklook/pb", file=sys.stderr)
            return 1 if drift else 0
        _replace_tree(fresh, args.out)
    print(f"generated {args.out} ({len(drift)} file(s) changed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

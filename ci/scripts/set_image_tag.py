"""Set `services.<service>.image.tag` in a Helm values file, keeping its comments and layout.

The GitOps deploy (gitops-bump.sh) records a new image tag this way; Argo CD then syncs
the environment from the file. The tag is always written as a string so a numeric-looking
commit SHA is not read back as a number.

usage: python set_image_tag.py VALUES_FILE SERVICE TAG
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString


def set_image_tag(path: Path, service: str, tag: str) -> bool:
    """Write the tag; True when the file changed. Missing maps are created."""
    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is None:
        data = CommentedMap()
    node = data
    for key in ("services", service, "image"):
        child = node.get(key)
        if child is None:
            child = node[key] = CommentedMap()
        elif not isinstance(child, dict):
            raise ValueError(f"{path}: {key!r} is not a mapping")
        node = child
    if node.get("tag") == tag and path.exists():
        return False
    node["tag"] = DoubleQuotedScalarString(tag)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not all(argv):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    changed = set_image_tag(Path(argv[0]), argv[1], argv[2])
    print(f"{argv[0]}: services.{argv[1]}.image.tag={argv[2]}{'' if changed else ' (unchanged)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

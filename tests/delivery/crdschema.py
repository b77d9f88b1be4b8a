"""Validate custom resources against the openAPIV3Schema of their CRD, offline.

The CRD schema is a JSON Schema dialect: `x-kubernetes-*` extensions (preserve unknown
fields, int-or-string, list types...) have no JSON Schema meaning and are dropped, and
`nullable` is dropped too; what is left is checked with jsonschema (Draft 7).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _strip(v)
            for k, v in node.items()
            if not k.startswith("x-kubernetes-") and k != "nullable"
        }
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def crd_validator(crd_file: Path, version: str) -> jsonschema.Draft7Validator:
    """A validator for `version` of the (first) CRD in `crd_file`."""
    crd = next(d for d in yaml.safe_load_all(crd_file.read_text()) if d)
    for v in crd["spec"]["versions"]:
        if v["name"] == version:
            return jsonschema.Draft7Validator(_strip(v["schema"]["openAPIV3Schema"]))
    raise KeyError(f"{crd_file.name} has no version {version}")


def errors(validator: jsonschema.Draft7Validator, obj: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(obj)
    ]


Registry = dict[tuple[str, str], jsonschema.Draft7Validator]


def registry(crd_files: list[Path]) -> Registry:
    """Validators for every (apiVersion, kind) the given CRD files define."""
    out: Registry = {}
    for path in crd_files:
        for crd in yaml.safe_load_all(path.read_text()):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for v in crd["spec"]["versions"]:
                schema = _strip(v["schema"]["openAPIV3Schema"])
                out[(f"{group}/{v['name']}", kind)] = jsonschema.Draft7Validator(schema)
    return out

"""Request binding with go-zero ``httpx.Parse`` semantics (contract http-api.md §2).

Every field declared on a ``RequestModel`` without a default is a required *key* (zero
values are fine), unknown keys are ignored, and types are strict JSON types: integers
only for ``int`` (no bool, fraction or quoted number, int64 range), booleans only for
``bool``, strings only for ``str``. Failures become ``CodeError(100002, "参数错误 ,<detail>")``
with go-zero's detail wording.
"""

from __future__ import annotations

import json
from typing import Any, Final

from aiohttp import web
from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
)
from pydantic_core import PydanticCustomError

from looklook.errors import REQUEST_PARAM_ERROR, CodeError, message_of
from looklook.web.keys import HTTP_CONF

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "PayloadTooLargeError",
    "RequestModel",
    "ResponseModel",
    "bind",
    "param_error",
    "parse_body",
    "read_json_body",
    "validate_request",
]

INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1
_DEFAULT_MAX_BYTES: Final = 1048576
_GO_MAP: Final = "map[string]interface {}"


class PayloadTooLargeError(Exception):
    """Body larger than ``HttpConf.max_bytes``: answered with HTTP 413, empty body."""


class RequestModel(BaseModel):
    """Base of request types; declare fields with the exact (camelCase) JSON keys."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _int64_range(cls, v: Any, info: ValidationInfo) -> Any:
        if isinstance(v, int) and not isinstance(v, bool) and not INT64_MIN <= v <= INT64_MAX:
            # Go's decoder reports an overflowing int64 as a type mismatch, not a bad value
            raise PydanticCustomError("int64_type", "value out of int64 range")
        return v


class ResponseModel(BaseModel):
    """Base of response ``data`` types: keys in declaration order, empty lists as null
    (Go nil slices), serialised by ``looklook.gojson``."""

    model_config = ConfigDict(populate_by_name=True, from_attributes=True)

    @model_serializer(mode="wrap")
    def _nil_empty_lists(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            return {k: (None if isinstance(v, list) and not v else v) for k, v in data.items()}
        return data


def param_error(detail: str) -> CodeError:
    """The 100002 error with go-zero's ``"参数错误 ,<detail>"`` message."""
    return CodeError(REQUEST_PARAM_ERROR, f"{message_of(REQUEST_PARAM_ERROR)} ,{detail}")


def _quote_char(ch: str) -> str:
    """Go's ``quoteChar``: ``'x'``, with escapes for quotes and control characters."""
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    return "'" + json.dumps(ch, ensure_ascii=False)[1:-1] + "'"


def _innermost_open(doc: str, pos: int) -> str:
    """Whether position ``pos`` is inside an object or array (for Go's error wording)."""
    stack: list[str] = []
    in_str = esc = False
    for ch in doc[:pos]:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append(ch)
        elif ch in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def _go_syntax_error(doc: str, err: json.JSONDecodeError) -> str:
    """Go ``encoding/json`` syntax error text for a Python decode error (approximate)."""
    pos = err.pos
    if pos >= len(doc) or err.msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    ch = _quote_char(doc[pos])
    msg = err.msg
    if msg.startswith("Expecting property name"):
        return f"invalid character {ch} looking for beginning of object key string"
    if msg.startswith("Expecting ':'"):
        return f"invalid character {ch} after object key"
    if msg.startswith("Expecting ','"):
        where = "object key:value pair" if _innermost_open(doc, pos) == "{" else "array element"
        return f"invalid character {ch} after {where}"
    if msg.startswith("Extra data"):
        return f"invalid character {ch} after top-level value"
    if msg.startswith("Invalid control character"):
        return f"invalid character {ch} in string literal"
    if msg.startswith("Invalid \\escape") or msg.startswith("Invalid \\u"):
        return f"invalid character {ch} in string escape code"
    return f"invalid character {ch} looking for beginning of value"


class _Constant(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _Constant(name)


def parse_body(raw: bytes) -> dict[str, Any]:
    """Decode a JSON body into the key map go-zero binds from (empty body = ``{}``)."""
    if not raw:
        return {}
    doc = raw.decode("utf-8", errors="replace")
    try:
        value = json.loads(doc, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise param_error(_go_syntax_error(doc, exc)) from None
    except _Constant as exc:
        first = _quote_char(str(exc).lstrip("-")[:1])
        raise param_error(f"invalid character {first} looking for beginning of value") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        kind = "array" if isinstance(value, list) else type(value).__name__
        kind = {"str": "string", "int": "number", "float": "number", "bool": "bool"}.get(kind, kind)
        raise param_error(f"json: cannot unmarshal {kind} into Go value of type {_GO_MAP}")
    return value


async def read_json_body(request: web.Request) -> bytes:
    """The body bytes go-zero would parse: only with ``Content-Length > 0`` and a
    ``Content-Type`` containing ``application/json``; otherwise empty."""
    length = request.content_length
    if not length or length <= 0:
        return b""
    if "application/json" not in request.headers.get("Content-Type", ""):
        return b""
    conf = request.app.get(HTTP_CONF)
    limit = conf.max_bytes if conf is not None else _DEFAULT_MAX_BYTES
    if length > limit:
        raise PayloadTooLargeError()
    raw = await request.content.read(limit + 1)
    while len(raw) <= limit:
        chunk = await request.content.read(limit + 1 - len(raw))
        if not chunk:
            break
        raw += chunk
    if len(raw) > limit:
        raise PayloadTooLargeError()
    return raw


def _key(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc if isinstance(p, str))


def validate_request[M: RequestModel](model: type[M], data: dict[str, Any]) -> M:
    """Validate decoded JSON against ``model``, reporting the first failing field
    (declaration order) the way go-zero does."""
    try:
        return model.model_validate(data, strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = _key(first["loc"])
        kind = str(first["type"])
        if kind == "missing":
            raise param_error(f'field "{key}" is not set') from None
        if kind.endswith(("_type", "_parsing")) or kind.startswith(("int_from", "model_")):
            raise param_error(f'type mismatch for field "{key}"') from None
        # the JSON type was right but a declared constraint (length, range) failed
        raise param_error(f'value of field "{key}" is invalid: {first["msg"]}') from None


async def bind[M: RequestModel](request: web.Request, model: type[M]) -> M:
    """Read, decode and validate the request body into ``model``."""
    return validate_request(model, parse_body(await read_json_body(request)))

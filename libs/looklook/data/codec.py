"""Row conversions: MySQL values ↔ row fields ↔ the Go-shaped cache JSON.

A row type is a dataclass whose field names are the table's column names in physical
order. Go's cached struct has no JSON tags, so its JSON keys are the Go field names
goctl derives from the columns (``user_id`` → ``UserId``), in the same order, and
``time.Time`` values are RFC 3339 with the Shanghai offset. A DATE column is a
``time.Time`` at midnight Shanghai in Go, so it is one here too.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from looklook import gojson
from looklook.sn import SHANGHAI

__all__ = [
    "EPOCH",
    "Column",
    "Schema",
    "date_column",
    "format_go_time",
    "go_field_name",
    "key_part_name",
    "parse_go_time",
    "schema_of",
]

Kind = Literal["int", "str", "float", "datetime", "date"]

EPOCH = datetime(1970, 1, 1, 8, 0, 0, tzinfo=SHANGHAI)
"""Unix 0 in Shanghai wall-clock: upstream's ``delete_time`` of a live row."""

_KINDS: dict[Any, Kind] = {int: "int", str: "str", float: "float", datetime: "datetime"}


def date_column() -> Any:
    """Declare a DATE column: a midnight-Shanghai ``datetime`` on our side, as in Go."""
    return dataclasses.field(default=EPOCH.replace(hour=0), metadata={"sql": "date"})


def go_field_name(column: str) -> str:
    """goctl's struct field name: ``license_fron`` → ``LicenseFron``, ``id`` → ``Id``."""
    return "".join(part[:1].upper() + part[1:] for part in column.split("_"))


def key_part_name(column: str) -> str:
    """goctl's cache-key word for a column: ``auth_type`` → ``authType``."""
    name = go_field_name(column)
    return name[:1].lower() + name[1:]


def format_go_time(value: datetime) -> str:
    """Go's ``time.Time`` JSON (RFC 3339, fraction only when non-zero) in Shanghai."""
    dt = value.astimezone(SHANGHAI) if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    text = (
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    )
    if dt.microsecond:
        text += f".{dt.microsecond:06d}".rstrip("0")
    offset = dt.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if minutes == 0:
        return text + "Z"
    sign = "+" if minutes > 0 else "-"
    minutes = abs(minutes)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_go_time(text: str) -> datetime:
    """Parse a Go RFC 3339 time (up to nanoseconds, any offset) as Shanghai time."""
    dt = datetime.fromisoformat(_FRACTION.sub(r"\1", text))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SHANGHAI)
    return dt.astimezone(SHANGHAI)


@dataclass(frozen=True)
class Column:
    """One table column: its name, Go name and value kind."""

    name: str
    go_name: str
    kind: Kind
    default: Any

    def to_db(self, value: Any) -> Any:
        """The value to bind in SQL (naive Shanghai datetimes, dates for DATE)."""
        if self.kind in ("datetime", "date"):
            if isinstance(value, datetime):
                dt = value.astimezone(SHANGHAI) if value.tzinfo else value
                return dt.date() if self.kind == "date" else dt.replace(tzinfo=None)
            if isinstance(value, date):
                return value
        return value

    def from_db(self, value: Any) -> Any:
        """A row field from what asyncmy returned."""
        if value is None:
            return self.default
        match self.kind:
            case "datetime" | "date":
                if isinstance(value, datetime):
                    return value.replace(tzinfo=SHANGHAI)
                if isinstance(value, date):
                    return datetime(value.year, value.month, value.day, tzinfo=SHANGHAI)
                raise TypeError(f"{self.name}: expected a date/datetime, got {value!r}")
            case "str":
                return value.decode() if isinstance(value, bytes | bytearray) else str(value)
            case "int":
                return int(value)
            case _:
                return float(value)

    def to_json(self, value: Any) -> Any:
        if self.kind in ("datetime", "date"):
            return format_go_time(value)
        return value

    def from_json(self, value: Any) -> Any:
        if value is None:
            return self.default
        match self.kind:
            case "datetime" | "date":
                return parse_go_time(value)
            case "str":
                return str(value)
            case "int":
                return int(value)
            case _:
                return float(value)


class Schema[R]:
    """Columns of a row dataclass and the conversions that need all of them."""

    def __init__(self, row_type: type[R]) -> None:
        if not dataclasses.is_dataclass(row_type):
            raise TypeError(f"{row_type.__name__} must be a dataclass")
        hints = typing.get_type_hints(row_type)
        columns = []
        for f in dataclasses.fields(row_type):
            kind: Kind | None = f.metadata.get("sql") or _KINDS.get(hints[f.name])
            if kind is None:
                raise TypeError(f"{row_type.__name__}.{f.name}: unsupported type {hints[f.name]}")
            columns.append(Column(f.name, go_field_name(f.name), kind, f.default))
        self.row_type = row_type
        self.columns: tuple[Column, ...] = tuple(columns)
        self.by_name = {c.name: c for c in columns}
        self._by_go_lower = {c.go_name.lower(): c for c in columns}

    def from_db(self, record: dict[str, Any]) -> R:
        return self.row_type(**{c.name: c.from_db(record.get(c.name)) for c in self.columns})

    def to_json(self, row: R) -> bytes:
        """The Go-shaped cache JSON of ``row`` (keys = Go field names, column order)."""
        return gojson.dumps({c.go_name: c.to_json(getattr(row, c.name)) for c in self.columns})

    def from_json(self, data: dict[str, Any]) -> R:
        """A row from a decoded cache object, matching keys case-insensitively as Go does."""
        values: dict[str, Any] = {}
        for key, value in data.items():
            column = self._by_go_lower.get(key.lower())
            if column is not None:
                values[column.name] = column.from_json(value)
        return self.row_type(**values)


@cache
def schema_of[R](row_type: type[R]) -> Schema[R]:
    """The (memoised) schema of a row dataclass."""
    return Schema(row_type)

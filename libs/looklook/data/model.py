"""Declarative cached models in the style of goctl's generated ``*Model_gen.go``.

A model names its table, row dataclass, cache-key prefix and unique indexes::

    @dataclass
    class User:
        id: int = 0
        create_time: datetime = EPOCH
        ...

    class UserModel(CachedModel[User]):
        row_type = User
        table = "user"
        cache_prefix = "cache:looklookUsercenter:user:"
        unique_keys = (("mobile",),)

and gets upstream's data-access behaviour (database.md §4/§5): cached reads by id and by
unique key (``…:user:id:5``, ``…:user:mobile:138…``, ``…:userAuth:authType:authKey:t:k``),
full-row writes that delete the affected keys afterwards, optimistic locking on
``version``, soft delete, and uncached list helpers that always filter ``del_state = 0``.

``where`` fragments and ``order_by`` are trusted SQL written by service code, never
user input; values always travel as ``%s`` arguments.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar, Protocol

from looklook.data.cache import INDEX_PRIMARY_GAP_S, Cache
from looklook.data.codec import EPOCH, Schema, key_part_name, schema_of
from looklook.data.db import Database, Executor, Transaction
from looklook.data.errors import NotFound, VersionConflict
from looklook.sn import SHANGHAI

__all__ = ["CachedModel"]

log = logging.getLogger(__name__)

_NOT_WRITTEN = ("id", "create_time", "update_time")
LIVE = "`del_state` = 0"


def _q(name: str) -> str:
    return f"`{name}`"



MAX_SQL_ROW_COUNT = 2**64 - 1
"""MySQL's largest LIMIT/OFFSET; int64 page numbers times page sizes can exceed it."""


def _row_count(n: int) -> int:
    """A LIMIT MySQL accepts: negative counts are 0 (upstream's `LIMIT 0` case), huge ones
    are capped at MySQL's maximum, which means "all rows"."""
    return min(max(int(n), 0), MAX_SQL_ROW_COUNT)

class Row(Protocol):
    """What the base relies on in a row dataclass: upstream's ``id`` and ``version``."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    id: int
    version: int


class CachedModel[R: Row]:
    """Base of every table model; subclasses only declare class attributes."""

    row_type: ClassVar[type]
    table: ClassVar[str]
    cache_prefix: ClassVar[str]
    unique_keys: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def __init__(self, db: Database, cache: Cache) -> None:
        self.db = db
        self.cache = cache
        self.schema: Schema[R] = schema_of(self.row_type)
        for unique in self.unique_keys:
            missing = [c for c in unique if c not in self.schema.by_name]
            if missing:
                raise TypeError(f"{type(self).__name__}: unknown unique columns {missing}")
        names = [c.name for c in self.schema.columns]
        self._select = f"SELECT {','.join(map(_q, names))} FROM {_q(self.table)}"
        self._written = [c for c in self.schema.columns if c.name not in _NOT_WRITTEN]
        cols = ",".join(_q(c.name) for c in self._written)
        marks = ",".join(["%s"] * len(self._written))
        self._insert_sql = f"INSERT INTO {_q(self.table)} ({cols}) VALUES ({marks})"
        sets = ",".join(f"{_q(c.name)}=%s" for c in self._written)
        self._update_sql = f"UPDATE {_q(self.table)} SET {sets} WHERE `id`=%s"
        self._update_version_sql = self._update_sql + " AND `version`=%s"

    # -- cache keys --------------------------------------------------------------------

    def id_key(self, id_: int) -> str:
        return f"{self.cache_prefix}id:{id_}"

    def unique_key(self, columns: Sequence[str], values: Sequence[Any]) -> str:
        words = ":".join(key_part_name(c) for c in columns)
        return f"{self.cache_prefix}{words}:{':'.join(str(v) for v in values)}"

    def keys_of(self, row: R) -> list[str]:
        """Every cache key that may hold ``row``: its id key and its unique-index keys."""
        keys = [self.id_key(row.id)]
        for unique in self.unique_keys:
            keys.append(self.unique_key(unique, [getattr(row, c) for c in unique]))
        return keys

    # -- cached reads ------------------------------------------------------------------

    def _decode(self, raw: bytes) -> R:
        return self.schema.from_json(json.loads(raw))

    async def _load_by_id(self, executor: Executor, id_: int) -> R | None:
        record = await executor.fetch_one(
            f"{self._select} WHERE `id`=%s AND {LIVE} LIMIT 1", (id_,)
        )
        return None if record is None else self.schema.from_db(record)

    async def find_one(self, id_: int) -> R | None:
        """The live row with primary key ``id_`` (read through the cache), or None."""

        async def load() -> bytes | None:
            row = await self._load_by_id(self.db, id_)
            return None if row is None else self.schema.to_json(row)

        key = self.id_key(id_)
        raw = await self.cache.take(key, load)
        if raw is None:
            return None
        try:
            return self._decode(raw)
        except (ValueError, TypeError, AttributeError):
            log.warning("undecodable cached row dropped", extra={"key": key}, exc_info=True)
            await self.cache.discard_corrupt(key)
            return await self._load_by_id(self.db, id_)

    def _unique_for(self, given: dict[str, Any]) -> tuple[str, ...]:
        for unique in self.unique_keys:
            if set(unique) == set(given):
                return unique
        raise TypeError(f"{type(self).__name__}: no unique key on {sorted(given)}")

    async def find_one_by(self, **columns: Any) -> R | None:
        """The live row with these unique-index values (e.g. ``mobile=...``), or None."""
        unique = self._unique_for(columns)
        values = [columns[c] for c in unique]
        where = " AND ".join(f"{_q(c)}=%s" for c in unique)

        async def load_index(expiry: float) -> bytes | None:
            record = await self.db.fetch_one(
                f"{self._select} WHERE {where} AND {LIVE} LIMIT 1", values
            )
            if record is None:
                return None
            row = self.schema.from_db(record)
            await self.cache.set_with_expire(
                self.id_key(row.id),
                self.schema.to_json(row),
                expiry + INDEX_PRIMARY_GAP_S,
            )
            return str(row.id).encode()

        key = self.unique_key(unique, values)
        raw_id = await self.cache.take_with_expire(key, load_index)
        if raw_id is None:
            return None
        try:
            id_ = int(json.loads(raw_id))
        except (ValueError, TypeError):
            log.warning("undecodable cached index dropped", extra={"key": key})
            await self.cache.discard_corrupt(key)
            return await self.find_one_by(**columns)
        return await self.find_one(id_)

    # -- writes ------------------------------------------------------------------------

    async def _invalidate(self, keys: Sequence[str], tx: Transaction | None) -> None:
        unique = list(dict.fromkeys(keys))
        await self.cache.delete(*unique)
        if tx is not None:  # delete again once the new data is visible to other readers
            tx.after_commit(lambda: self.cache.delete(*unique))

    def _values(self, row: R, **override: Any) -> list[Any]:
        return [
            c.to_db(override[c.name] if c.name in override else getattr(row, c.name))
            for c in self._written
        ]

    async def insert(self, row: R, tx: Transaction | None = None) -> int:
        """Insert ``row`` as a live row (del_state 0, delete_time Unix 0); returns the new id."""
        executor = tx or self.db
        _, new_id = await executor.execute(
            self._insert_sql, self._values(row, del_state=0, delete_time=EPOCH)
        )
        await self._invalidate(self.keys_of(row), tx)
        return new_id

    async def _current(self, id_: int, tx: Transaction | None) -> R:
        old = await (self._load_by_id(tx, id_) if tx is not None else self.find_one(id_))
        if old is None:
            raise NotFound(f"{self.table} id={id_} not found")
        return old

    async def update(self, row: R, tx: Transaction | None = None) -> None:
        """Rewrite every column of the live row ``row.id`` (no version check)."""
        old = await self._current(row.id, tx)
        try:
            await (tx or self.db).execute(self._update_sql, [*self._values(row), row.id])
        finally:
            await self._invalidate([*self.keys_of(old), *self.keys_of(row)], tx)

    async def update_with_version(self, row: R, tx: Transaction | None = None) -> None:
        """Rewrite every column with ``version + 1`` only if ``version`` is unchanged.

        Raises :class:`VersionConflict` when another writer got there first. On success
        ``row.version`` is advanced, as Go's generated code does with its struct.
        """
        old = await self._current(row.id, tx)
        version: int = row.version
        args = [*self._values(row, version=version + 1), row.id, version]
        try:
            affected, _ = await (tx or self.db).execute(self._update_version_sql, args)
        finally:
            await self._invalidate([*self.keys_of(old), *self.keys_of(row)], tx)
        if affected == 0:
            raise VersionConflict(f"{self.table} id={row.id} version={version}: no rows changed")
        row.version = version + 1

    async def delete_soft(self, row: R, tx: Transaction | None = None) -> None:
        """Mark ``row`` deleted (del_state 1, delete_time now) via a versioned update."""
        deleted = dataclasses.replace(
            row, del_state=1, delete_time=datetime.now(SHANGHAI).replace(microsecond=0)
        )
        await self.update_with_version(deleted, tx)
        row.version = deleted.version

    # -- uncached lists ----------------------------------------------------------------

    @staticmethod
    def _where(where: str) -> str:
        return f"({where}) AND {LIVE}" if where else LIVE

    async def _rows(self, sql: str, args: Sequence[Any]) -> list[R]:
        return [self.schema.from_db(r) for r in await self.db.fetch_all(sql, list(args))]

    async def find_all(
        self,
        where: str = "",
        args: Sequence[Any] = (),
        order_by: str = "id DESC",
        limit: int | None = None,
    ) -> list[R]:
        """Live rows matching ``where`` (``%s`` placeholders), never cached."""
        sql = f"{self._select} WHERE {self._where(where)} ORDER BY {order_by}"
        if limit is not None:
            sql += f" LIMIT {_row_count(limit)}"
        return await self._rows(sql, args)

    async def find_page(
        self,
        where: str,
        args: Sequence[Any],
        page: int,
        page_size: int,
        order_by: str = "id DESC",
    ) -> list[R]:
        """Offset paging as upstream: page < 1 is page 1, OFFSET (page-1)*page_size."""
        size = max(int(page_size), 0)
        offset = (max(int(page), 1) - 1) * size
        if offset > MAX_SQL_ROW_COUNT:  # no table has rows that far; MySQL would reject it
            return []
        sql = (
            f"{self._select} WHERE {self._where(where)} ORDER BY {order_by} "
            f"LIMIT {_row_count(size)} OFFSET {offset}"
        )
        return await self._rows(sql, args)

    async def find_page_by_id_desc(
        self, where: str, args: Sequence[Any], last_id: int, page_size: int
    ) -> list[R]:
        """Cursor paging: rows with ``id < last_id`` (when last_id > 0), newest first."""
        clauses, values = ([where] if where else []), list(args)
        if last_id > 0:
            clauses.append("`id` < %s")
            values.append(last_id)
        cond = " AND ".join(f"({c})" for c in clauses)
        sql = (
            f"{self._select} WHERE {self._where(cond)} ORDER BY `id` DESC "
            f"LIMIT {_row_count(page_size)}"
        )
        return await self._rows(sql, values)

    async def count(self, where: str = "", args: Sequence[Any] = ()) -> int:
        """Number of live rows matching ``where``, never cached."""
        record = await self.db.fetch_one(
            f"SELECT COUNT(*) AS n FROM {_q(self.table)} WHERE {self._where(where)}", list(args)
        )
        return int(record["n"]) if record else 0

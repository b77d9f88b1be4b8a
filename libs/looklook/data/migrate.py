"""Apply a service's ``migrations/*.sql`` to its database, idempotently.

Files run in name order, each once; applied files are recorded (name + SHA-256) in
``looklook_schema_migrations`` inside the target database (one service per database,
as upstream), the only table the runner itself adds to a database.

The files' own ``CREATE DATABASE``/``USE`` statements (there so a file can be run by
hand) are replaced by the configured database name, which lets tests use throwaway
``t_…`` databases. Our 0001 files use ``CREATE TABLE IF NOT EXISTS``, so a database
created from upstream's dumps migrates as a no-op. A named lock serialises concurrent
runs (several pods starting at once).

CLI: ``python -m looklook.data.migrate --database NAME [--host H --port P --user U]
SQL_DIR`` (password from ``LOOKLOOK_MYSQL__PASSWORD``).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Any

import asyncmy
import asyncmy.errors

from looklook.data.errors import DataError
from looklook.data.sqlscript import split_statements
from looklook.settings import MySQLConf

__all__ = ["MIGRATIONS_TABLE", "migrate"]

log = logging.getLogger(__name__)

MIGRATIONS_TABLE = "looklook_schema_migrations"
_LOCK_TIMEOUT_S = 60
_DB_STATEMENT = re.compile(r"^\s*(CREATE\s+(DATABASE|SCHEMA)|USE)\b", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9_$]{1,64}$")

_CREATE_TABLE = f"""CREATE TABLE IF NOT EXISTS `{MIGRATIONS_TABLE}` (
  `name` varchar(255) NOT NULL,
  `checksum` char(64) NOT NULL,
  `applied_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='looklook-py: applied migration files'"""


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _query(conn: asyncmy.Connection, sql: str, args: object = None) -> list[tuple[Any, ...]]:
    async with conn.cursor() as cur:
        await cur.execute(sql, args)
        return list(await cur.fetchall())


def _read_files(sql_dir: Path) -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(sql_dir.glob("*.sql"))]


async def _apply_pending(conn: asyncmy.Connection, files: list[tuple[str, str]]) -> list[str]:
    await _query(conn, _CREATE_TABLE)
    rows = await _query(conn, f"SELECT name, checksum FROM `{MIGRATIONS_TABLE}`")
    applied: dict[str, str] = dict(rows)
    done: list[str] = []
    for name, text in files:
        digest = _checksum(text)
        if name in applied:
            if applied[name] != digest:
                raise DataError(f"migration {name} changed after it was applied")
            continue
        for statement in split_statements(text):
            if not _DB_STATEMENT.match(statement):
                await _query(conn, statement)
        await _query(
            conn,
            f"INSERT INTO `{MIGRATIONS_TABLE}` (name, checksum) VALUES (%s, %s)",
            (name, digest),
        )
        log.info("migration applied", extra={"file": name})
        done.append(name)
    return done


async def migrate(conf: MySQLConf, sql_dir: Path, database: str | None = None) -> list[str]:
    """Create ``database`` if needed and apply pending files of ``sql_dir``.

    Returns the names of the files applied by this run (empty when up to date).
    """
    name = database or conf.database
    if not _NAME.match(name):
        raise ValueError(f"invalid database name {name!r}")
    files = await asyncio.to_thread(_read_files, Path(sql_dir))
    try:
        conn = await asyncmy.connect(
            host=conf.host,
            port=conf.port,
            user=conf.user,
            password=conf.password,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=conf.connect_timeout_s,
        )
    except (asyncmy.errors.MySQLError, OSError) as exc:
        raise DataError(f"cannot connect to MySQL: {exc}") from exc
    lock = f"looklook_migrate_{name}"
    try:
        await _query(conn, "SET time_zone = '+08:00'")
        # "… IF NOT EXISTS" on an existing object is a note, expected on every re-run;
        # notes off keeps real warnings (truncation, …) visible.
        await _query(conn, "SET SESSION sql_notes = 0")
        (got,), = await _query(conn, "SELECT GET_LOCK(%s, %s)", (lock, _LOCK_TIMEOUT_S))
        if got != 1:
            raise DataError(f"another migration of {name} holds the lock")
        try:
            await _query(
                conn,
                f"CREATE DATABASE IF NOT EXISTS `{name}` "
                "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
            )
            await _query(conn, f"USE `{name}`")
            return await _apply_pending(conn, files)
        finally:
            await _query(conn, "SELECT RELEASE_LOCK(%s)", (lock,))
    except asyncmy.errors.MySQLError as exc:
        raise DataError(f"migration of {name} failed: {exc}") from exc
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m looklook.data.migrate")
    parser.add_argument("sql_dir", type=Path)
    parser.add_argument("--database", required=True)
    parser.add_argument("--host", default=os.environ.get("LOOKLOOK_MYSQL__HOST", "127.0.0.1"))
    port = int(os.environ.get("LOOKLOOK_MYSQL__PORT", "3306"))
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--user", default=os.environ.get("LOOKLOOK_MYSQL__USER", "root"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    conf = MySQLConf(
        host=args.host,
        port=args.port,
        user=args.user,
        password=os.environ.get("LOOKLOOK_MYSQL__PASSWORD", ""),
        database=args.database,
    )
    applied = asyncio.run(migrate(conf, args.sql_dir, args.database))
    print(f"{args.database}: applied {len(applied)} file(s) {applied}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

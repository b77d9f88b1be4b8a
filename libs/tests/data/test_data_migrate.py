"""Migrations: idempotent, and identical to (and a no-op on) upstream's own schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from looklook.data import create_database
from looklook.data.errors import DataError
from looklook.data.migrate import MIGRATIONS_TABLE, migrate
from looklook.data.sqlscript import split_statements
from looklook.data.testing import UPSTREAM_SQL_DIR, scratch_database

from .support import mysql_conf

REPO = Path(__file__).resolve().parents[3]
SERVICES = ("usercenter", "travel", "order", "payment")

needs_upstream = pytest.mark.skipif(
    not UPSTREAM_SQL_DIR.is_dir(), reason=f"upstream dumps not found in {UPSTREAM_SQL_DIR}"
)


def sql_dir(service: str) -> Path:
    return REPO / "services" / service / "migrations"


def migration_files(service: str) -> list[str]:
    return sorted(p.name for p in sql_dir(service).glob("*.sql"))


async def schema_of(conf, only: set[str] | None = None) -> dict[str, list[tuple]]:
    """Everything upstream's DDL fixes: columns, indexes, table options and comments.

    ``only`` restricts it to some tables (upstream's, when later files add our own).
    """
    db = await create_database(conf)
    args = [conf.database, MIGRATIONS_TABLE]
    try:
        columns = await db.fetch_all(
            "SELECT TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,"
            " COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, COLLATION_NAME"
            " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=%s AND TABLE_NAME<>%s"
            " ORDER BY TABLE_NAME, ORDINAL_POSITION",
            args,
        )
        indexes = await db.fetch_all(
            "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE"
            " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=%s AND TABLE_NAME<>%s"
            " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            args,
        )
        tables = await db.fetch_all(
            "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, TABLE_COMMENT"
            " FROM information_schema.TABLES WHERE TABLE_SCHEMA=%s AND TABLE_NAME<>%s"
            " ORDER BY TABLE_NAME",
            args,
        )
    finally:
        await db.close()
    return {
        name: [tuple(r.values()) for r in rows if only is None or r["TABLE_NAME"] in only]
        for name, rows in (("columns", columns), ("indexes", indexes), ("tables", tables))
    }


async def applied(conf) -> list[str]:
    db = await create_database(conf)
    try:
        rows = await db.fetch_all(f"SELECT name FROM `{MIGRATIONS_TABLE}` ORDER BY name")
    finally:
        await db.close()
    return [r["name"] for r in rows]


@pytest.mark.parametrize("service", SERVICES)
async def test_migrate_is_idempotent(infra, service: str):
    async with scratch_database(mysql_conf(infra), None, "t_data") as conf:
        files = migration_files(service)
        assert files[0] == "0001_init.sql"
        assert await migrate(conf, sql_dir(service), conf.database) == files
        before = await schema_of(conf)
        assert before["tables"], "no tables created"
        assert await migrate(conf, sql_dir(service), conf.database) == []
        assert await schema_of(conf) == before
        assert await applied(conf) == files


@needs_upstream
@pytest.mark.parametrize("service", SERVICES)
async def test_schema_matches_upstream_and_migrating_its_dump_is_a_no_op(infra, service: str):
    dump = UPSTREAM_SQL_DIR / f"looklook_{service}.sql"
    base = mysql_conf(infra)
    async with (
        scratch_database(base, sql_dir(service), "t_data") as ours,
        scratch_database(base, None, "t_data", upstream_dump=dump) as theirs,
    ):
        upstream_schema = await schema_of(theirs)
        upstream_tables = {t[0] for t in upstream_schema["tables"]}
        assert upstream_tables
        assert await schema_of(ours, upstream_tables) == upstream_schema
        files = migration_files(service)
        assert await migrate(theirs, sql_dir(service), theirs.database) == files
        assert await schema_of(theirs, upstream_tables) == upstream_schema
        assert await migrate(theirs, sql_dir(service), theirs.database) == []


async def test_changed_migration_is_refused(infra, tmp_path: Path):
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE IF NOT EXISTS a (id int);\n")
    async with scratch_database(mysql_conf(infra), tmp_path, "t_data") as conf:
        (tmp_path / "0002_b.sql").write_text("CREATE TABLE IF NOT EXISTS b (id int);")
        assert await migrate(conf, tmp_path, conf.database) == ["0002_b.sql"]
        (tmp_path / "0001_a.sql").write_text("CREATE TABLE IF NOT EXISTS a (id bigint);\n")
        with pytest.raises(DataError, match="0001_a.sql changed"):
            await migrate(conf, tmp_path, conf.database)


async def test_bad_database_name_is_rejected(infra):
    with pytest.raises(ValueError):
        await migrate(mysql_conf(infra), sql_dir("order"), "x`; DROP DATABASE mysql; --")


def test_split_statements_respects_quotes_and_comments():
    script = (
        "/* header; with semicolon */\n"
        "SET NAMES utf8mb4;\n"
        "-- a comment; here\n"
        "CREATE TABLE `t;x` (`c` varchar(3) DEFAULT 'a;b' COMMENT 'it''s; \\'ok');\n"
        "# hash comment;\n"
        "SELECT \"x;y\""
    )
    assert split_statements(script) == [
        "SET NAMES utf8mb4",
        "CREATE TABLE `t;x` (`c` varchar(3) DEFAULT 'a;b' COMMENT 'it''s; \\'ok')",
        'SELECT "x;y"',
    ]

"""MySQL access: an asyncmy connection pool with upstream's session settings.

Upstream's DSN (``charset=utf8mb4&parseTime=true&loc=Asia/Shanghai``) makes every
datetime travel as Asia/Shanghai wall-clock. We get the same by setting the session
time zone to ``+08:00`` on connect; datetimes come back naive and callers (the model
codec) interpret them as Shanghai time.

Every statement is timed into the ``sql_client_*`` metric families by command
(``query`` for reads, ``exec`` for writes, as go-zero's sqlx labels them), and every
driver failure is re-raised as :class:`~looklook.data.errors.DataError`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, cast

import asyncmy
import asyncmy.errors
from asyncmy.connection import Connection
from asyncmy.cursors import DictCursor

from looklook.data.errors import DataError, DuplicateKey
from looklook.data.instrument import observe_sql
from looklook.settings import MySQLConf

__all__ = ["Database", "Executor", "Transaction", "create_database", "mysql_readiness"]

SESSION_INIT = "SET time_zone = '+08:00'"
_ER_DUP_ENTRY = 1062
_DRIVER_ERRORS = (asyncmy.errors.MySQLError, OSError, TimeoutError)

Args = Sequence[Any] | None


def _wrap(exc: BaseException) -> DataError:
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    cls = DuplicateKey if code == _ER_DUP_ENTRY else DataError
    err = cls(str(exc))
    err.__cause__ = exc
    return err


class Executor(ABC):
    """The statement methods shared by the pool and an open transaction."""

    @abstractmethod
    def _connection(self) -> AbstractAsyncContextManager[Connection]:
        """Lend a connection for one statement."""

    async def _run[T](
        self, command: str, conn: Connection, op: Callable[[DictCursor], Awaitable[T]]
    ) -> T:
        start = time.perf_counter()
        error: BaseException | None = None
        try:
            async with conn.cursor(DictCursor) as cur:
                return await op(cast(DictCursor, cur))
        except _DRIVER_ERRORS as exc:
            error = exc
            raise _wrap(exc) from exc
        finally:
            observe_sql(command, time.perf_counter() - start, error)

    async def fetch_all(self, sql: str, args: Args = None) -> list[dict[str, Any]]:
        """Run a SELECT and return every row as a column-name → value dict."""

        async def op(cur: DictCursor) -> list[dict[str, Any]]:
            await cur.execute(sql, args)
            return list(await cur.fetchall())

        async with self._connection() as conn:
            return await self._run("query", conn, op)

    async def fetch_one(self, sql: str, args: Args = None) -> dict[str, Any] | None:
        """Run a SELECT and return its first row, or None."""

        async def op(cur: DictCursor) -> dict[str, Any] | None:
            await cur.execute(sql, args)
            row: dict[str, Any] | None = await cur.fetchone()  # a DictCursor row
            return row

        async with self._connection() as conn:
            return await self._run("query", conn, op)

    async def execute(self, sql: str, args: Args = None) -> tuple[int, int]:
        """Run a write and return ``(rowcount, lastrowid)``."""

        async def op(cur: DictCursor) -> tuple[int, int]:
            await cur.execute(sql, args)
            return int(cast(int, cur.rowcount)), int(cur.lastrowid or 0)

        async with self._connection() as conn:
            return await self._run("exec", conn, op)


class Transaction(Executor):
    """One connection inside BEGIN … COMMIT; callbacks run after a successful commit."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._after_commit: list[Callable[[], Awaitable[None]]] = []

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        yield self._conn

    def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run ``callback`` once the transaction has committed (e.g. cache deletes)."""
        self._after_commit.append(callback)


class Database(Executor):
    """A pool of MySQL connections to one database."""

    def __init__(self, pool: Any, database: str) -> None:
        self._pool = pool
        self.database = database

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        try:
            conn = await self._pool.acquire()
        except _DRIVER_ERRORS as exc:
            observe_sql("connect", 0.0, exc)
            raise _wrap(exc) from exc
        try:
            yield conn
        finally:
            self._pool.release(conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """``async with db.transaction() as tx``: commit on success, roll back on any error."""
        async with self._connection() as conn:
            tx = Transaction(conn)
            try:
                await conn.begin()
                yield tx
                await conn.commit()
            except BaseException as exc:
                try:
                    await conn.rollback()
                except Exception:  # noqa: BLE001 - the original error matters more
                    conn.close()
                if isinstance(exc, _DRIVER_ERRORS):
                    raise _wrap(exc) from exc
                raise
        for callback in tx._after_commit:
            await callback()

    async def ping(self) -> None:
        """Round-trip ``SELECT 1``; raises DataError when MySQL is unreachable."""
        await self.fetch_one("SELECT 1")

    async def close(self) -> None:
        self._pool.close()
        await self._pool.wait_closed()


async def create_database(conf: MySQLConf) -> Database:
    """Open a pool for ``conf`` (utf8mb4, autocommit, Shanghai session time zone)."""
    try:
        pool = await asyncmy.create_pool(
            host=conf.host,
            port=conf.port,
            user=conf.user,
            password=conf.password,
            db=conf.database,
            charset="utf8mb4",
            autocommit=True,
            init_command=SESSION_INIT,
            connect_timeout=conf.connect_timeout_s,
            minsize=conf.pool_min,
            maxsize=conf.pool_max,
        )
    except _DRIVER_ERRORS as exc:
        raise _wrap(exc) from exc
    return Database(pool, conf.database)


def mysql_readiness(db: Database) -> Callable[[], Awaitable[None]]:
    """A check for ``looklook.ops.OpsServer``: ready while ``SELECT 1`` succeeds."""
    return db.ping

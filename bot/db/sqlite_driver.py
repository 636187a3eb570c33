"""SQLite through aiosqlite with one trip to aiosqlite's thread per statement.

aiosqlite runs each sqlite3 call on its own thread, and every call is a round trip: the thread needs the
GIL to run it and the event loop has to wake up for the result. SQLAlchemy's adapter makes four of them
for a statement that returns rows (open a cursor, execute, fetch, close) and one more for a commit, even
when there is nothing to commit. On a busy bot those hand-offs cost more than SQLite's own work: with
them cut from 5.7 to 2.2 per answer, the quiz benchmark answered 20-45 % more per second (2 cores,
alternating runs with the adapter alone).

Here a statement executes, fetches its rows and closes its cursor in a single call on aiosqlite's thread,
and commit and rollback go there only when a transaction is open (sqlite3 does nothing otherwise).
Streaming (server-side) cursors keep SQLAlchemy's adapter.

This builds on SQLAlchemy 2.1's aiosqlite adapter and on aiosqlite's `_execute` (queue a call for its
thread; SQLAlchemy's adapter itself uses that queue to set the isolation level), so pyproject.toml holds
both to the releases checked. Every SQLite test runs through this module, and tests/test_sqlite_driver.py
counts the trips.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.util.concurrency import await_

Outcome = tuple[Any, int, int | None, list[Any]]  # description, rowcount, lastrowid, rows


def _execute(conn: sqlite3.Connection, operation: str, parameters: Any) -> Outcome:
    """On aiosqlite's thread: run one statement and take everything it returns."""
    cursor = conn.cursor()
    try:
        cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _executemany(conn: sqlite3.Connection, operation: str, parameters: Any) -> Outcome:
    cursor = conn.cursor()
    try:
        cursor.executemany(operation, parameters)
        return None, cursor.rowcount, cursor.lastrowid, []
    finally:
        cursor.close()


class Cursor:
    """A DBAPI cursor whose statement has run, and whose rows are here, when `execute` returns."""

    server_side = False
    arraysize = 1

    def __init__(self, adapted: Connection) -> None:
        self._adapted = adapted
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: deque[Any] = deque()

    def _run(
        self, call: Callable[[sqlite3.Connection, str, Any], Outcome], operation: str, params: Any
    ) -> None:
        adapted = self._adapted
        try:
            async_conn = adapted._connection
            outcome = await_(async_conn._execute(call, async_conn._conn, operation, params))
        except Exception as error:
            adapted._handle_exception(error)
        self.description, self.rowcount, self.lastrowid, rows = outcome
        self._rows = deque(rows)

    def execute(self, operation: str, parameters: Any = None) -> None:
        self._run(_execute, operation, () if parameters is None else parameters)

    def executemany(self, operation: str, seq_of_parameters: Sequence[Any]) -> None:
        self._run(_executemany, operation, seq_of_parameters)

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        count = min(self.arraysize if size is None else size, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def close(self) -> None:
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        """Called by SQLAlchemy's asyncio results; the sqlite3 cursor is closed already."""

    def setinputsizes(self, *sizes: Any) -> None:
        pass

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        pass


class Connection(AsyncAdapt_aiosqlite_connection):
    """Commit and rollback only when sqlite3 has a transaction open. A statement still queued when its
    handler is cancelled cannot slip past that check into the next unit of work: SQLAlchemy discards such
    a connection rather than pooling it (tests/test_database.py)."""

    __slots__ = ()
    _cursor_cls = Cursor  # type: ignore[assignment]

    def _in_transaction(self) -> bool:
        conn: sqlite3.Connection | None = self._connection._connection  # None once closed
        return conn is not None and conn.in_transaction

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()


class DBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given (`create_engine(module=...)`)."""

    def connect(self, *args: Any, **kwargs: Any) -> Connection:
        return Connection(self, super().connect(*args, **kwargs)._connection)


def dbapi() -> DBAPI:
    return DBAPI(aiosqlite, sqlite3)


@contextmanager
def count_trips() -> Iterator[list[str]]:
    """For tests and benchmarks: the calls queued for aiosqlite's thread meanwhile, by name (this
    module's are `_execute`; aiosqlite's own are `commit`, `rollback`, `cursor` ...)."""
    calls: list[str] = []
    queue = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await queue(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        aiosqlite.Connection._execute = queue  # type: ignore[method-assign]

"""Engine and session factory. Nothing is built at import time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

POOL_SIZE = 10  # PostgreSQL connections per bot process


class DatabaseLost(RuntimeError):
    """The SQLite file was deleted or replaced under the running bot: stop rather than lose data."""


R = TypeVar("R")
P = ParamSpec("P")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


async def add_row(session: AsyncSession, row: R) -> R:
    """Insert a new ORM row now (flush), so that its generated id is known; returns it."""
    session.add(row)
    await session.flush()
    return row


def dialect_insert(session: AsyncSession, table: Any) -> pg.Insert | sqlite.Insert:
    """INSERT for the session's database, with its ON CONFLICT (upsert and insert-once) clauses."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return pg.insert(table) if dialect == "postgresql" else sqlite.insert(table)


async def insert_once(session: AsyncSession, table: Any, **values: Any) -> bool:
    """INSERT a row unless one with the same key (or a unique value) is there; True for the one call that
    wrote it: how deliveries, reminders and reports are claimed before they are sent."""
    result = await session.execute(dialect_insert(session, table).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)  # type: ignore[attr-defined]


def ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, **kwargs: object) -> AsyncEngine:
    ensure_sqlite_folder(url)
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if not is_sqlite:
        # A fixed set of connections: a burst waits its turn for one (transactions last milliseconds)
        # instead of opening overflow connections that are closed again as soon as they are given back.
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", 0)
        # a connection the server dropped (a restart, a failover) is replaced before use: the first update
        # after it had failed with the generic error (a robustness pass); a ping per checkout costs far less
        kwargs.setdefault("pool_pre_ping", True)
    # hide_parameters: error messages and logs show the SQL, never the values (what users typed)
    engine = create_async_engine(url, hide_parameters=True, **kwargs)  # type: ignore[arg-type]
    if is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """Owns the engine; hands out one session (one transaction) per unit of work."""

    def __init__(self, url: str, **engine_kwargs: object) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        parsed = make_url(url)
        self.file = (
            Path(parsed.database).resolve()
            if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:"
            else None
        )
        self._identity: tuple[int, int] | None = None  # (device, inode) of the SQLite file once seen
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time, and a waiting writer sleeps in steps of up to 100 ms. Taking
        # turns here instead keeps each (short) transaction from waiting on another's lock.
        self._turns = asyncio.Lock() if self.engine.dialect.name == "sqlite" else contextlib.nullcontext()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed at the end, or rolled back on error (when the SQLite file
        turns out to be gone, with DatabaseLost)."""
        try:
            async with self._turns, self.sessionmaker() as session, session.begin():
                yield session
        except DBAPIError as exc:
            if problem := self.lost():
                raise DatabaseLost(problem) from exc
            raise

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work for long reads (reports, exports), rolled back at the end. It takes no
        turn: SQLite in WAL mode lets readers run beside the one writer, so other users' updates need not
        wait seconds for a district export. On SQLite each statement sees the data as it was when that
        statement began (sqlite3 opens no transaction for reads); on PostgreSQL the whole unit of work
        sees one snapshot (REPEATABLE READ)."""
        async with self.sessionmaker() as session:
            if self.engine.dialect.name == "postgresql":
                await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session

    async def read(
        self, fn: Callable[Concatenate[AsyncSession, P], Awaitable[R]], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """`fn(session, *args, **kwargs)` in a `snapshot`: for a long read after the update's own
        transaction has committed."""
        async with self.snapshot() as session:
            return await fn(session, *args, **kwargs)

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query (the liveness check)."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    def lost(self) -> str | None:
        """Why the SQLite file the bot writes to is no longer the one on disk (deleted, or replaced), or
        None. A deleted file stays open: every write would go on succeeding into a file nobody can see,
        and be lost at the next restart."""
        if self.file is None:
            return None
        try:
            stat = self.file.stat()
        except FileNotFoundError:
            return (
                f"the database file {self.file} was deleted while the bot was running"
                if self._identity
                else None
            )
        identity = (stat.st_dev, stat.st_ino)
        if self._identity is None:
            self._identity = identity
        elif identity != self._identity:
            return f"the database file {self.file} was replaced while the bot was running"
        return None

    def for_bulk(self, connections: int) -> Database:
        """The database for bulk sending (broadcasts, the daily reading): on PostgreSQL an engine of its own
        with `connections`, so that bulk sending's claims neither wait behind people's updates for a
        connection nor take theirs; on SQLite this one (its writers take turns in one process)."""
        if self.engine.dialect.name != "postgresql":
            return self
        return Database(self.url, pool_size=connections)

    async def dispose(self) -> None:
        await self.engine.dispose()

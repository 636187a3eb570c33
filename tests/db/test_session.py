"""Promises of the database layer that the rest of the bot relies on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime, func, select, text
from sqlalchemy.exc import StatementError

from bot.db.models import AuditEntry, Base, UtcDateTime
from bot.db.session import POOL_SIZE, Database
from tests.conftest import TEST_DATABASE_URL

WRITE = "INSERT INTO audit_log (actor, action, detail, created_at) VALUES (1, 'test', '', '2026-12-01')"


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="writes through aiosqlite's own connection")
async def test_a_connection_given_back_inside_a_transaction_is_rolled_back(database_url: str) -> None:
    """A connection given back with a transaction open leaves no write behind and no lock held for the
    next unit of work."""
    db = Database(database_url, pool_size=1, max_overflow=0)  # the next unit of work gets this connection
    async with db.engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        await driver.execute(WRITE)  # type: ignore[union-attr]
        assert driver.in_transaction  # type: ignore[union-attr]
    async with db.transaction() as session:
        assert await session.scalar(text("SELECT count(*) FROM audit_log")) == 0
        await session.execute(text(WRITE))
    async with db.transaction() as session:
        assert await session.scalar(text("SELECT count(*) FROM audit_log")) == 1
    await db.dispose()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite's transactions take turns on one connection")
async def test_a_burst_waits_for_pooled_connections_instead_of_opening_more(database_url: str) -> None:
    """Fifty updates at once share the fixed pool: no overflow connection is opened (and closed again
    on return, which made every burst pay for new connections), and every transaction completes."""
    db = Database(database_url)
    busiest = 0

    async def unit_of_work() -> None:
        nonlocal busiest
        async with db.transaction() as session:
            await session.execute(text("SELECT pg_sleep(0.01)"))
            busiest = max(busiest, db.engine.pool.checkedout())  # type: ignore[attr-defined]

    await asyncio.gather(*(unit_of_work() for _ in range(50)))
    assert busiest == POOL_SIZE
    assert db.engine.pool.checkedin() == POOL_SIZE  # type: ignore[attr-defined]
    await db.dispose()


async def test_a_unit_of_work_cancelled_mid_statement_leaves_nothing_behind(database_url: str) -> None:
    """A handler cancelled while its statement runs (the bot shutting down, say): the write is not kept,
    and the connection is not given back with the transaction open for the next unit of work to commit."""
    db = Database(database_url, pool_size=1, max_overflow=0)
    columns = "INSERT INTO audit_log (actor, action, detail, created_at)"
    if db.engine.dialect.name == "sqlite":  # half a second or so of work in aiosqlite's thread
        slow = f"""{columns} WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000)
                   SELECT max(n), 'slow', '', '2026-12-01' FROM c"""
    else:
        slow = f"{columns} SELECT 1, 'slow', '', now() FROM pg_sleep(1)"

    async def unit_of_work() -> None:
        async with db.transaction() as session:
            await session.execute(text(slow))

    task = asyncio.create_task(unit_of_work())
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as session:
        await session.execute(text(WRITE))
    async with db.transaction() as session:
        assert (await session.execute(text("SELECT action FROM audit_log"))).scalars().all() == ["test"]
    await db.dispose()


async def test_a_long_read_does_not_hold_up_other_users_writes(database_url: str) -> None:
    """A report read in a snapshot (as /stats, /export and /chart read theirs) leaves the writers' turn
    free: an update that writes completes while the read is still open, on both databases."""
    db = Database(database_url)
    async with db.snapshot() as reading:
        assert await reading.scalar(text("SELECT count(*) FROM audit_log")) == 0

        async def write() -> None:
            async with db.transaction() as session:
                await session.execute(text(WRITE))

        await asyncio.wait_for(write(), timeout=5)  # a read holding the turn would hang here
        still_reading = await reading.scalar(text("SELECT count(*) FROM audit_log"))
    async with db.transaction() as session:
        assert await session.scalar(text("SELECT count(*) FROM audit_log")) == 1
    await db.dispose()
    # PostgreSQL's unit of work sees one snapshot; on SQLite each statement sees the data of its start
    assert still_reading == (0 if TEST_DATABASE_URL else 1)


async def test_a_sqlite_file_deleted_or_replaced_under_the_bot_is_noticed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bot.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    async with db.transaction() as session:
        await session.execute(text("CREATE TABLE t (x INTEGER)"))
    assert db.lost() is None  # seen: this is the file
    path.rename(tmp_path / "moved.db")
    assert "was deleted" in (db.lost() or "")
    path.write_bytes((tmp_path / "moved.db").read_bytes())  # a copy put in its place is another file
    assert "was replaced" in (db.lost() or "")
    await db.dispose()
    assert (
        Database("postgresql+asyncpg://u@h/d").lost() is None
    )  # a server's database cannot vanish like that


async def test_a_stored_moment_comes_back_aware_and_in_utc(database_url: str) -> None:
    """SQLite keeps no zone and hands back naive datetimes, PostgreSQL aware ones: UtcDateTime makes both
    give the moment written, aware and in UTC, read as a row, a column or an aggregate of one; a moment
    written in another zone is stored as UTC (SQLite would keep its wall time), a naive one refused."""
    moment = datetime(2026, 12, 1, 9, 30, 15, 250000, tzinfo=ZoneInfo("Asia/Shanghai"))  # 01:30:15 UTC
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            session.add(AuditEntry(actor=1, action="test", detail="", created_at=moment))
        async with db.transaction() as session:
            entry = await session.scalar(select(AuditEntry))
            column = await session.scalar(select(AuditEntry.created_at))
            latest = await session.scalar(select(func.max(AuditEntry.created_at)))
            before_two = await session.scalar(
                select(func.count()).where(AuditEntry.created_at < datetime(2026, 12, 1, 2, tzinfo=UTC))
            )
        assert entry is not None
        for read in (entry.created_at, column, latest):
            assert read is not None and read.tzinfo is UTC and read == moment
        assert before_two == 1  # the database holds 01:30 UTC, not Shanghai's 09:30
        with pytest.raises(StatementError, match="naive"):
            async with db.transaction() as session:
                session.add(AuditEntry(actor=1, action="test", detail="", created_at=datetime(2026, 12, 1)))
    finally:
        await db.dispose()


def test_every_moment_column_is_a_utc_one() -> None:
    """A column declared with a plain DateTime would hand back naive datetimes on SQLite again."""
    columns = [column for table in Base.metadata.tables.values() for column in table.columns]
    assert [str(c) for c in columns if isinstance(c.type, DateTime)] == []
    assert any(isinstance(c.type, UtcDateTime) for c in columns)

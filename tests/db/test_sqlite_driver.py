"""SQLite's driver: one trip to aiosqlite's thread per statement, with everything SQLAlchemy expects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import exc, func, select, text, update

from bot.db.models import AuditEntry
from bot.db.session import Database
from bot.db.sqlite_driver import count_trips
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's driver")

WRITE = "INSERT INTO audit_log (actor, action, detail, created_at) VALUES (:actor, 'test', '', '2026-12-01')"


@pytest.fixture
def trips() -> Iterator[list[str]]:
    with count_trips() as calls:
        yield calls


async def test_a_write_is_one_trip_and_its_commit_another(database_url: str, trips: list[str]) -> None:
    db = Database(database_url)
    async with db.transaction() as session:  # connect and set up outside the count
        await session.execute(text("SELECT 1"))
    trips.clear()
    async with db.transaction() as session:
        # execute, fetch and close: one trip
        actor = await session.scalar(text(WRITE + " RETURNING actor"), {"actor": 7})
    assert actor == 7
    assert trips == ["_execute", "commit"]
    trips.clear()
    async with db.transaction() as session:  # nothing written: nothing to commit or roll back
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 1
    assert trips == ["_execute"]
    await db.dispose()


async def test_rows_counts_and_new_ids_come_back(database_url: str) -> None:
    db = Database(database_url)
    async with db.transaction() as session:
        await session.execute(text(WRITE), [{"actor": n} for n in (1, 2, 3)])  # executemany
        entry = AuditEntry(actor=4, action="test", detail="")
        session.add(entry)
        await session.flush()
        assert entry.id == 4  # the new row's id
        changed = await session.execute(update(AuditEntry).where(AuditEntry.actor < 3).values(detail="x"))
        assert changed.rowcount == 2  # type: ignore[attr-defined]
    async with db.transaction() as session:
        rows = (
            await session.execute(select(AuditEntry.actor, AuditEntry.detail).order_by(AuditEntry.id))
        ).all()
        assert [tuple(row) for row in rows] == [(1, "x"), (2, "x"), (3, ""), (4, "")]
        streamed = [
            row.actor async for row in await session.stream(select(AuditEntry.actor).order_by(AuditEntry.id))
        ]
        assert streamed == [1, 2, 3, 4]  # a streaming cursor still works
    await db.dispose()


async def test_a_failed_statement_raises_sqlalchemys_error_and_keeps_nothing(database_url: str) -> None:
    db = Database(database_url)
    with pytest.raises(exc.IntegrityError):
        async with db.transaction() as session:
            await session.execute(text(WRITE), {"actor": 1})
            await session.execute(text("INSERT INTO audit_log (id, actor) VALUES (1, 2)"))
    with pytest.raises(exc.OperationalError):
        async with db.transaction() as session:
            await session.execute(text("SELECT * FROM no_such_table"))
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    await db.dispose()

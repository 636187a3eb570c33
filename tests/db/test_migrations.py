"""The migrations create exactly the models' tables, and go down to an empty database again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.db import migrate
from bot.db.models import Base
from bot.db.session import Database


def _diff(connection):  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def _tables(connection):  # type: ignore[no-untyped-def]
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def test_head_matches_the_models_and_downgrade_empties_the_database(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
            assert await conn.run_sync(_tables) == {t.name for t in Base.metadata.sorted_tables}
        await migrate.downgrade_engine(db.engine, "base")
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_tables) == set()
        await migrate.upgrade_engine(db.engine, "head")
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await db.dispose()


async def test_upgrading_keeps_every_answer_and_downgrading_restores_progress(database_url: str) -> None:
    """0005 rebuilds the attempts table (on SQLite by copying it): the answers that refer to it stay."""
    db = Database(database_url)
    rows = "SELECT count(*) FROM attempt_questions"
    try:
        await migrate.downgrade_engine(db.engine, "0004")
        async with db.engine.begin() as conn:
            for statement in [
                "INSERT INTO users (id, language, created_at, last_seen_at, active, show_name) "
                "VALUES (1, 'zh', '2026-12-01 01:00:00', '2026-12-01 01:00:00', true, false)",
                "INSERT INTO attempts (id, user_id, mode, total, position, shown, correct, status, started_at, "
                "deadline_at, pass_mark, excellent_mark) VALUES (1, 1, 'challenge', 3, 1, 2, 1, 'open', "
                "'2026-12-01 01:00:00', '2026-12-01 01:01:00', 60, 90)",
                "INSERT INTO attempt_questions (attempt_id, position, question_id, option_order, chosen, correct, "
                "answered_at) VALUES (1, 0, 'con-001', '01', '0', true, '2026-12-01 01:00:20'), "
                "(1, 1, 'con-002', '01', NULL, NULL, NULL), (1, 2, 'con-003', '01', NULL, NULL, NULL)",
            ]:
                await conn.execute(text(statement))
        await migrate.upgrade_engine(db.engine, "head")
        async with db.engine.connect() as conn:
            assert await conn.scalar(text(rows)) == 3
            assert await conn.scalar(text("SELECT deadline_at FROM attempts")) is None  # a challenge's
        await migrate.downgrade_engine(db.engine, "0004")
        async with db.engine.connect() as conn:
            assert await conn.scalar(text(rows)) == 3
            assert await conn.scalar(text("SELECT position FROM attempts")) == 1
    finally:
        await migrate.upgrade_engine(db.engine, "head")
        await db.dispose()

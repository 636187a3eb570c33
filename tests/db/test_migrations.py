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


async def test_upgrading_gives_earlier_audit_entries_the_school_their_text_names(database_url: str) -> None:
    """0013: a school admin's /audit shows what was recorded about their school before it too."""
    db = Database(database_url)
    earlier = [  # as the bot wrote them before 0013
        ("grant", "501 school cg-p1"),
        ("revoke", "502 class cg-p2 5-1"),
        ("grant", "503 class cg-p3 4 2 (invite)"),
        ("invite", "class cg-p1 5-2"),
        ("roster", "cg-p2 5-1 (40)"),
        ("export", "dashboard constitution-day-2026 class cg-p3:5:1"),
        ("grant", "504 district"),
        ("export", "constitution-day-2026"),  # the scope of a chat export was not recorded: the district's
        ("verify", "AB12CD34"),
    ]
    try:
        await migrate.downgrade_engine(db.engine, "0012")
        async with db.engine.begin() as conn:
            for action, detail in earlier:
                await conn.execute(
                    text(
                        "INSERT INTO audit_log (actor, action, detail, created_at) VALUES (1, :a, :d, '2026-12-01')"
                    ),
                    {"a": action, "d": detail},
                )
        await migrate.upgrade_engine(db.engine, "head")
        async with db.engine.connect() as conn:
            found = (
                await conn.execute(
                    text(
                        "SELECT audit_log.detail, audit_schools.school_id FROM audit_schools "
                        "JOIN audit_log ON audit_log.id = audit_schools.audit_id ORDER BY audit_log.id"
                    )
                )
            ).all()
        assert [tuple(row) for row in found] == [
            ("501 school cg-p1", "cg-p1"),
            ("502 class cg-p2 5-1", "cg-p2"),
            ("503 class cg-p3 4 2 (invite)", "cg-p3"),
            ("class cg-p1 5-2", "cg-p1"),
            ("cg-p2 5-1 (40)", "cg-p2"),
            ("dashboard constitution-day-2026 class cg-p3:5:1", "cg-p3"),
        ]
    finally:
        await migrate.upgrade_engine(db.engine, "head")
        await db.dispose()


async def test_a_question_is_kept_whole_from_0018_and_its_first_200_characters_below(
    database_url: str,
) -> None:
    """0018 widens faq_queries.text (and faq_alternates.text) to a whole question; going down keeps the
    first 200 characters of a longer one, as the bot did before."""
    db = Database(database_url)
    question = "我们是外地户口，" * 40 + "孩子能上公办小学吗？"  # 330 characters
    try:
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, language, created_at, last_seen_at, active, show_name) "
                    "VALUES (1, 'zh', '2026-12-01 01:00:00', '2026-12-01 01:00:00', true, false)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO faq_queries (user_id, chat_id, text, normalized, created_at) "
                    "VALUES (1, 1, :q, 'n', '2026-12-01 01:00:00')"
                ),
                {"q": question},
            )
        async with db.engine.connect() as conn:
            assert await conn.scalar(text("SELECT text FROM faq_queries")) == question
        await migrate.downgrade_engine(db.engine, "0017")
        async with db.engine.connect() as conn:
            assert await conn.scalar(text("SELECT text FROM faq_queries")) == question[:200]
    finally:
        await migrate.upgrade_engine(db.engine, "head")
        await db.dispose()

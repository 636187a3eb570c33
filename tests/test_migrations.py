"""The migrations create exactly the models' tables, and go down to an empty database again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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

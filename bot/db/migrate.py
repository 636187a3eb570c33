"""Run Alembic migrations from code: the CLI's `db` commands, `run` at start-up, and the tests."""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import ensure_sqlite_folder

ROOT = Path(__file__).resolve().parent.parent.parent


def alembic_config(
    url: str, connection: Connection | None = None, stdout: io.StringIO | None = None
) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"), stdout=stdout) if stdout else Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision` (synchronous: call before the event loop)."""
    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current(url: str) -> str:
    out = io.StringIO()
    command.current(alembic_config(url, stdout=out))
    return out.getvalue().strip() or "(empty database: no migration applied)"


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade through an existing async engine, from inside a running event loop (tests)."""
    url = engine.url.render_as_string(hide_password=False)

    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(url, connection), revision)

    async with engine.connect() as connection:  # the migration commits its own transaction
        await connection.run_sync(run)


async def downgrade_engine(engine: AsyncEngine, revision: str) -> None:
    url = engine.url.render_as_string(hide_password=False)

    def run(connection: Connection) -> None:
        command.downgrade(alembic_config(url, connection), revision)

    async with engine.connect() as connection:  # the migration commits its own transaction
        await connection.run_sync(run)

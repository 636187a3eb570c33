"""Run Alembic migrations from code: the CLI's `db` commands, `run` at start-up, and the tests."""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import ensure_sqlite_folder

PACKAGED = Path(__file__).resolve().parent.parent / "migrations"  # where `pip install .` puts alembic/


def scripts() -> Path:
    """The migration scripts: inside the installed package, else alembic/ of this checkout."""
    return PACKAGED if PACKAGED.is_dir() else Path(__file__).resolve().parent.parent.parent / "alembic"


def alembic_config(
    url: str, connection: Connection | None = None, stdout: io.StringIO | None = None
) -> Config:
    """Configured in code (alembic.ini is for calling alembic by hand), so that it works from anywhere."""
    cfg = Config(stdout=stdout) if stdout else Config()
    cfg.set_main_option("script_location", str(scripts()))
    cfg.set_main_option("path_separator", "os")
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

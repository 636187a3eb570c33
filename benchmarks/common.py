"""Shared set-up for benchmarks: a fresh migrated database, the real services and the simulated Telegram."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text

from bot.config import ROOT, Settings
from bot.content.bundle import require_content
from bot.db import migrate
from bot.db.session import Database
from bot.runtime import Services

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def fresh_database(kind: str, pg_url: str = PG_URL) -> str:
    """A migrated, empty database: a temporary SQLite file, or the PostgreSQL database wiped first."""
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='pufa-bench-')}/bench.db"
    else:
        url = pg_url

        async def wipe() -> None:
            db = Database(url)
            async with db.engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await db.dispose()

        asyncio.run(wipe())
    migrate.upgrade(url)
    return url


def services_for(url: str, *, settings: dict[str, object] | None = None, **engine_kwargs: object) -> Services:
    """The production services on `url`, with `settings` overriding the defaults."""
    settings = Settings(_env_file=None, database_url=url, **(settings or {}))  # type: ignore[call-arg]
    content = require_content(ROOT / "content", ROOT / "quizzes")
    return Services.assemble(settings, Database(url, **engine_kwargs), content)


@contextmanager
def count_statements(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement.split()[0].upper())

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99


def root() -> Path:
    return ROOT


def district_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every benchmark over a seeded district shares: which database, its size, and which
    PostgreSQL database to wipe."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--pg-url", default=PG_URL, help="the PostgreSQL database to wipe and use")
    return parser

"""Fixtures: a clean database per test (SQLite by default, PostgreSQL when TEST_DATABASE_URL is set),
the real content, and the real Application wired to the simulated Telegram."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.app import build_application, on_startup
from bot.config import ROOT, Settings
from bot.content.bundle import Content, require_content
from bot.db import migrate
from bot.db.models import Base
from bot.db.session import Database
from bot.runtime import Services
from bot.services.faq import FaqService
from bot.sim import Simulator, World
from bot.sim.simulator import SIM_TOKEN, SimRequest

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
ADMIN_ID = 4242


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the black-box suite and run it after the rest (its PostgreSQL tests start from an empty
    schema, which the rest must not see)."""
    for item in items:
        if "blackbox" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.blackbox)
    items.sort(key=lambda item: item.get_closest_marker("blackbox") is not None)


class _ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s: %(message)s").format(record))


@pytest.fixture(autouse=True)
def bot_errors_fail_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """An error logged anywhere (the global error handler, a job, a library) fails the test that caused
    it, unless the test is marked `bot_errors_expected`."""
    errors = _ErrorLog()
    root = logging.getLogger()
    root.addHandler(errors)
    yield
    root.removeHandler(errors)
    if errors.lines and request.node.get_closest_marker("bot_errors_expected") is None:
        pytest.fail("the bot logged errors:\n" + "\n\n".join(errors.lines), pytrace=False)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": None,
        "admin_ids": frozenset({ADMIN_ID}),
        "default_language": "zh",
        # simulated people press faster than anyone can: the per-chat pace has tests of its own
        "chat_burst": 1000,
        "chat_rate": 1000,
        "status_file": None,  # the liveness file is the black-box suite's (tests/blackbox/test_health.py)
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def content() -> Content:
    return require_content(ROOT / "content", ROOT / "quizzes", today=date(2026, 12, 1))


@pytest.fixture(scope="session")
def faq_service(content: Content) -> FaqService:
    """Built once: its index takes a moment, and it holds nothing between tests but the clock."""
    return FaqService(content.faq, ZoneInfo("Asia/Shanghai"))


async def reset_postgres(url: str) -> None:
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at head: a template SQLite file, or the PostgreSQL test database."""
    if TEST_DATABASE_URL:
        asyncio.run(reset_postgres(TEST_DATABASE_URL))
        migrate.upgrade(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    template = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{template}")
    return str(template)


@pytest.fixture
async def database_url(migrated: str, tmp_path: Path) -> str:
    """A clean database for one test."""
    if TEST_DATABASE_URL:
        db = Database(migrated)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with db.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await db.dispose()
        return migrated
    target = tmp_path / "test.db"
    shutil.copy(migrated, target)
    return f"sqlite+aiosqlite:///{target}"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def services(
    database_url: str, content: Content, clock: Clock, faq_service: FaqService
) -> AsyncIterator[Services]:
    settings = make_settings(database_url=database_url)
    faq_service.clock = clock
    services = Services.assemble(
        settings, Database(database_url), content, clock=clock, seed=1204, faq=faq_service
    )
    yield services
    await services.close()


@pytest.fixture
async def sim(services: Services) -> AsyncIterator[Simulator]:
    world = World()
    app = build_application(services, request=SimRequest(world), token=SIM_TOKEN)
    async with app:
        await on_startup(app)
        yield Simulator(app, world)

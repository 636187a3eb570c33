"""Fixtures of the black-box suite: the simulated Telegram over HTTP, a fresh database, and the bot
started as `python -m bot run`. A traceback or an ERROR line in the bot's log fails the test that caused
it, unless the test is marked `bot_errors_expected`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sim.http import BotApiServer
from bot.sim.simulator import SIM_TOKEN
from bot.sim.world import World
from tests.blackbox.harness import Bot, RemoteSimulator, bot_env, shipped_content
from tests.conftest import ADMIN_ID, TEST_DATABASE_URL, reset_postgres


@pytest.fixture
async def blackbox_database(tmp_path: Path) -> str:
    """An empty database: the bot migrates it at start-up, as in production."""
    if TEST_DATABASE_URL:
        await reset_postgres(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content without report times, so that no test depends on today's date."""
    return shipped_content(tmp_path_factory.mktemp("shipped") / "content")


@pytest.fixture
async def api() -> AsyncIterator[BotApiServer]:
    server = BotApiServer(World(), SIM_TOKEN)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def bot(
    api: BotApiServer,
    blackbox_database: str,
    content_dir: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Bot]:
    """The bot, not yet started: a test calls `await bot.start(**settings)`."""
    env = bot_env(api, blackbox_database, content_dir, ADMIN_IDS=str(ADMIN_ID))
    under_test = Bot(api, env, tmp_path)
    yield under_test
    if under_test.process is not None and under_test.process.running:
        code = await under_test.stop()
        assert code == 0, f"the bot exited with {code} on SIGTERM"
    await asyncio.sleep(0)
    if request.node.get_closest_marker("bot_errors_expected") is None:
        failures = under_test.log.failures()
        assert not failures, "the bot logged errors:\n" + "\n".join(under_test.log.lines[-60:])


@pytest.fixture
def people(api: BotApiServer, bot: Bot) -> RemoteSimulator:
    return RemoteSimulator(api, bot)

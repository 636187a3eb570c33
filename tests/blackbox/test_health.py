"""`python -m bot health`, the image's HEALTHCHECK, judges the running bot, not only its database."""

from __future__ import annotations

import asyncio
import sys
import time

import pytest

from bot.sim.http import BotApiServer
from tests.blackbox.harness import Bot

pytestmark = pytest.mark.blackbox
FAST = {"HEALTH_EVERY_SECONDS": "0.3", "HEALTH_STALE_SECONDS": "2"}


async def health(bot: Bot, **overrides: str) -> tuple[int, str]:
    """Run the health command beside the bot (same settings, same working directory)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "health", cwd=bot.cwd, env={**bot.env, **FAST, **overrides},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def turns(bot: Bot, code: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        found, said = await health(bot)
        if found == code:
            return said
        assert time.monotonic() < deadline, (
            f"health stayed {found} ({said.strip()}), not {code}, for {timeout} s"
        )
        await asyncio.sleep(0.2)


@pytest.mark.bot_errors_expected  # the updater logs its failed getUpdates while Telegram is down
async def test_health_follows_the_bot_and_its_bot_api(api: BotApiServer, bot: Bot) -> None:
    code, said = await health(bot)
    assert code == 1 and "not running" in said  # nothing has started
    await bot.start(**FAST)
    assert "healthy" in await turns(bot, 0, timeout=15)
    api.failing = 502  # Telegram stops answering: the bot runs on, but it is not healthy
    said = await turns(bot, 1, timeout=15)
    assert "no check has passed" in said and "Bot API" in said
    api.failing = None
    await turns(bot, 0, timeout=15)
    code, said = await health(bot, DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert code == 1 and "database unreachable" in said  # the bot's database, as this process sees it
    assert await bot.stop() == 0
    code, said = await health(bot)
    assert code == 1 and "not running" in said  # a stopped bot is not healthy

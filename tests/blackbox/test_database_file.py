"""A SQLite file deleted under the running bot is noticed: the bot stops with a clear message and a
non-zero exit, instead of writing on into an unlinked file that is gone at the next restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.blackbox.harness import Bot, RemoteSimulator
from tests.conftest import TEST_DATABASE_URL


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="a file of SQLite's own")
@pytest.mark.bot_errors_expected  # the CRITICAL line saying why it stops
async def test_a_deleted_database_file_stops_the_bot_with_a_clear_message(
    bot: Bot, people: RemoteSimulator, blackbox_database: str
) -> None:
    await bot.start(DATABASE_CHECK_SECONDS="0.5")
    [menu] = await people.user("小明").send("/start")
    assert "普法助手" in menu.text
    Path(make_url(blackbox_database).database or "").unlink()
    assert bot.process is not None and bot.process.proc is not None
    await bot.log.wait_for(lambda line: "was deleted while the bot was running" in line, 20, "why it stops")
    async with asyncio.timeout(20):
        while bot.process.running:  # it stops on its own; its last long poll need not run out
            people.server.release_polls()
            await asyncio.sleep(0.1)
    code = bot.process.proc.returncode
    assert code == 1
    assert any("was deleted while the bot was running" in line for line in bot.log.lines)

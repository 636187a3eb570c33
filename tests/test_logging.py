"""What `python -m bot run` prints: one line per update, no SQL unless LOG_LEVEL=DEBUG, never the token."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from pydantic import SecretStr
from telegram.error import InvalidToken

from bot.__main__ import setup_logging
from bot.config import Settings
from bot.sim import Simulator
from tests.conftest import make_settings

TOKEN = "123456:VERY-SECRET-TOKEN"
TUNED = ("httpx", "aiosqlite", "telegram", "sqlalchemy.engine", "apscheduler", "alembic.runtime.plugins")


@contextmanager
def logging_as_run(level: str, settings: Settings | None = None) -> Iterator[None]:
    """setup_logging onto a root logger without handlers, as in a fresh process: its handler writes to
    sys.stderr, which capsys reads. pytest's handlers and every level are put back afterwards."""
    root = logging.getLogger()
    handlers, levels = root.handlers[:], {name: logging.getLogger(name).level for name in ("", *TUNED)}
    root.handlers.clear()
    try:
        setup_logging(level, settings)
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = handlers
        for name, value in levels.items():
            logging.getLogger(name).setLevel(value)


async def test_an_update_is_one_line_at_info(sim: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    with logging_as_run("INFO"):
        await sim.user().send("/start")
    [line] = capsys.readouterr().err.splitlines()
    assert " INFO bot.updates: " in line


async def test_sql_is_logged_only_at_debug_and_without_values(
    sim: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = "幸福路8号楼下的路灯坏了找谁修"
    user = sim.user()
    await user.send("/start")
    capsys.readouterr()
    with logging_as_run("DEBUG"):
        await user.send(typed)
    err = capsys.readouterr().err
    assert " INFO sqlalchemy.engine." in err and "SELECT" in err
    assert typed not in err
    # Below INFO these print parameters, result rows and whole updates.
    assert not any(f" DEBUG {name}" in err for name in ("sqlalchemy", "aiosqlite", "telegram", "httpx"))


async def test_a_job_run_prints_nothing_at_info(sim: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert sim.app is not None and sim.app.job_queue is not None
    queue = sim.app.job_queue
    jobs = queue.jobs()
    assert jobs  # scheduled at start-up
    finished: list[str] = []
    all_ran = asyncio.Event()

    def listen(event: object) -> None:
        finished.append(getattr(event, "job_id", ""))
        if len(finished) == len(jobs):
            all_ran.set()

    with logging_as_run("INFO"):
        queue.scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        await queue.start()
        try:
            for job in jobs:  # due now, through the scheduler as in production
                job.job.modify(next_run_time=datetime.now(UTC))
            await asyncio.wait_for(all_ran.wait(), 5)
        finally:
            await queue.stop()
    assert capsys.readouterr().err == ""


def test_the_token_is_cut_out_of_messages_and_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"https://api.telegram.org/bot{TOKEN}/getMe"
    with logging_as_run("INFO", make_settings(bot_token=SecretStr(TOKEN))):
        try:
            try:
                raise httpx.ConnectError(f"cannot reach {url}")
            except httpx.ConnectError as exc:
                raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.") from exc
        except InvalidToken:
            logging.getLogger("bot.test").exception("calling %s failed", url)
    err = capsys.readouterr().err
    assert "InvalidToken" in err and "httpx.ConnectError" in err
    assert TOKEN not in err and "VERY-SECRET" not in err
    assert "api.telegram.org/bot<token>/getMe" in err and "The token `<token>` was rejected" in err

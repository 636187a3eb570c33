"""The black-box harness: `python -m bot run` as its own process, against the simulated Telegram served
over HTTP (bot/sim/http.py), driven by simulated people as they would use Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import ROOT
from bot.sim.http import BotApiServer
from bot.sim.simulator import Simulator

# Lines of the bot's log that mean something went wrong inside it.
FAILURE = re.compile(r"Traceback \(most recent call last\)| ERROR | CRITICAL ")
UPDATE_ID = re.compile(r"update=(\d+) ")  # bot.updates logs one line per update, after its replies were sent


class BotLog:
    """Every line any bot process printed, in order, across restarts."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._grew = asyncio.Event()
        self.handled: set[int] = set()  # update ids the bot logged
        self._awaited: dict[int, asyncio.Future[None]] = {}

    def add(self, line: str) -> None:
        self.lines.append(line)
        if found := UPDATE_ID.search(line):
            update_id = int(found.group(1))
            self.handled.add(update_id)
            waiter = self._awaited.pop(update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        self._grew.set()

    async def wait_handled(self, update_id: int, timeout: float) -> None:
        """Until the bot logged update `update_id`. (Looked up, not scanned for: 200 simulated people
        waiting at once, each scanning every new line, kept the load benchmark's driver busy.)"""
        if update_id in self.handled:
            return
        waiter = self._awaited.setdefault(update_id, asyncio.get_running_loop().create_future())
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except TimeoutError:
            tail = "\n".join(self.lines[-30:])
            raise AssertionError(
                f"the bot did not log the end of update {update_id} within {timeout} s; its log ends:\n{tail}"
            ) from None

    async def wait_for(self, found: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for line in self.lines[seen:]:
                if found(line):
                    return line
            seen = len(self.lines)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                tail = "\n".join(self.lines[-30:])
                raise AssertionError(f"the bot did not log {what} within {timeout} s; its log ends:\n{tail}")
            self._grew.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._grew.wait(), timeout=remaining)

    def failures(self) -> list[str]:
        return [line for line in self.lines if FAILURE.search(line)]


class BotProcess:
    """One `python -m bot run` (or `command`, run in a session of its own, e.g. the image's command);
    its output goes into the shared `BotLog`."""

    def __init__(self, env: dict[str, str], cwd: Path, log: BotLog, command: list[str] | None = None) -> None:
        self.env = env
        self.cwd = cwd
        self.log = log
        self.command = command
        self.left_behind = False  # `command` ended, but a process it started outlived it (then killed)
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *(self.command or [sys.executable, "-m", "bot", "run"]), cwd=self.cwd, env=self.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, start_new_session=bool(self.command),
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        async for raw in self.proc.stdout:
            self.log.add(raw.decode(errors="replace").rstrip("\n"))

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no shutdown of any kind, as when the machine loses power."""
        await self._end(signal.SIGKILL)

    async def stop(self) -> int | None:
        """SIGTERM, as a service manager stops it; the exit code."""
        return await self._end(signal.SIGTERM)

    async def _end(self, sig: int) -> int | None:
        if self.proc is None:
            return None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout=15)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        if self.command:  # its session: whatever is left of it would hold its output open
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.left_behind = True
            except ProcessLookupError:
                pass
        if self._reader is not None:
            try:  # the output ends when the bot and everything it started are gone
                await asyncio.wait_for(self._reader, timeout=15)
            except TimeoutError:
                raise AssertionError(
                    "a process the bot started outlived it, holding its output open"
                ) from None
        return self.proc.returncode


class Bot:
    """The bot under test: started, killed and restarted like the real program, one process at a time."""

    def __init__(self, server: BotApiServer, env: dict[str, str], cwd: Path) -> None:
        self.server = server
        self.env = env
        self.cwd = cwd
        self.log = BotLog()
        self.process: BotProcess | None = None
        self.starts = 0

    async def start(self, command: list[str] | None = None, **overrides: str) -> None:
        assert self.process is None or not self.process.running, "stop the bot first"
        env = {**self.env, **overrides}
        self.process = BotProcess(env, self.cwd, self.log, command)
        polls, webhook = self.server.polls, self.server.webhook
        self.server.webhook = None if "WEBHOOK_URL" not in env else webhook
        await self.process.start()
        self.starts += 1
        started = time.monotonic()
        while not (self.server.polls > polls or (self.server.webhook is not None and "WEBHOOK_URL" in env)):
            if not self.process.running:
                tail = "\n".join(self.log.lines[-30:])
                raise AssertionError(f"the bot exited at start-up; its log ends:\n{tail}")
            if time.monotonic() - started > 60:
                raise AssertionError("the bot did not start serving within 60 s")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        if self.process is not None:
            await self.process.kill()

    async def stop(self) -> int | None:
        """SIGTERM, as a service manager stops it; the exit code."""
        if self.process is None:
            return None
        stopping = asyncio.create_task(self.process.stop())
        while not stopping.done():
            self.server.release_polls()  # its last long poll need not run out
            await asyncio.sleep(0.1)
        return await stopping

    async def handled(self, update_id: int, timeout: float = 20) -> None:
        await self.log.wait_handled(update_id, timeout)


class RemoteSimulator(Simulator):
    """Simulated people whose updates reach the bot through the HTTP server; each send or press returns
    when the bot has logged that it handled the update (its replies have been sent by then)."""

    def __init__(self, server: BotApiServer, bot: Bot) -> None:
        super().__init__(None, server.world)
        self.server = server
        self.bot = bot

    async def process(self, data: dict[str, Any]) -> None:
        self.server.push(data)
        await self.bot.handled(data["update_id"])


def shipped_content(folder: Path) -> Path:
    """A copy of the shipped content in `folder`, without the campaigns' report times (`reports:`): the
    scheduled report of a campaign whose window holds the real date would otherwise reach the super admin
    in the middle of whatever a test does with them. A test of scheduled reports names its own."""
    shutil.copytree(ROOT / "content", folder)
    for path in (folder / "campaigns").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^reports: .*\n", "", text), encoding="utf-8")
    return folder


def open_around(content: Path, campaign: str, at: datetime) -> Path:
    """Open the campaign (its YAML file's stem) in `content` from two hours before `at` to two hours
    after, local time; its YAML file, for a test to change further."""
    path = content / "campaigns" / f"{campaign}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^start: .*$", f"start: {at - timedelta(hours=2):%Y-%m-%d %H:%M}", text)
    text = re.sub(r"(?m)^end: .*$", f"end: {at + timedelta(hours=2):%Y-%m-%d %H:%M}", text)
    path.write_text(text, encoding="utf-8")
    return path


def bot_env(api: BotApiServer, database_url: str, content: Path, **extra: str) -> dict[str, str]:
    """The environment of the bot under test: the simulated Telegram, a database, the content (see
    `shipped_content`), short intervals."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR")}
    return {
        **keep,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_API_BASE_FILE_URL": api.base_file_url,
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(content),
        "LOG_LEVEL": "INFO",
        "EXPIRE_EVERY_SECONDS": "0.5",
        "CHAT_BURST": "100",  # simulated people press faster than anyone can
        "CHAT_RATE": "100",
        "GROUP_EVERY_SECONDS": "0.5",
        "READING_EVERY_SECONDS": "0.5",
        "BROADCAST_EVERY_SECONDS": "0.5",
        **extra,
    }


async def eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Wait until `check()` returns something truthy (and return it), polling; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.05)
    return result

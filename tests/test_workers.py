"""The worker processes that build exports, charts and certificates: work runs in another process,
a worker that dies is replaced on the next call, and close() stops them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bot.config import ROOT
from bot.domain import Sheet
from bot.render.workbook import workbook
from bot.workers import Workers


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_work_runs_in_a_worker_process_that_close_stops() -> None:
    workers = Workers(processes=1)
    try:
        pid = await workers.run(os.getpid)
        assert pid != os.getpid() and alive(pid)
        assert await workers.run(os.getpid) == pid  # the process stays for the next request
        xlsx, archive = await workers.run(workbook, [Sheet("summary", "汇总", ["campaign"], [["x"]])])
        assert xlsx.startswith(b"PK") and archive.startswith(b"PK")
    finally:
        await workers.close()
    assert not alive(pid)


async def test_a_worker_that_dies_is_replaced() -> None:
    workers = Workers(processes=1)
    try:
        with pytest.raises(BrokenProcessPool):
            await workers.run(os._exit, 1)
        assert await workers.run(os.getpid) != os.getpid()
    finally:
        await workers.close()


async def test_without_processes_work_runs_in_a_thread() -> None:
    workers = Workers(processes=0)
    assert await workers.run(os.getpid) == os.getpid()
    await workers.close()


def test_workers_leave_when_the_bot_is_killed(tmp_path: Path) -> None:
    """A SIGKILLed bot (out of memory, a power cut of the container) leaves no worker behind holding its
    output and memory: before, the black-box suite waited for ever on the killed bot's output."""
    script = tmp_path / "bot_like.py"
    script.write_text(
        "import asyncio, os, sys\n"
        "from bot.workers import Workers\n"
        "async def main():\n"
        "    pid = await Workers(processes=1).run(os.getpid)\n"
        "    print(pid, flush=True)\n"
        "    await asyncio.sleep(60)\n"
        "if __name__ == '__main__':\n"
        "    asyncio.run(main())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bot = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert bot.stdout is not None
        worker = int(bot.stdout.readline())
        assert alive(worker)
    finally:
        bot.kill()
        bot.wait()
        bot.stdout.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(worker), "the worker outlived the killed bot"

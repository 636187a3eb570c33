"""The worker processes that build exports, charts and certificates: work runs in another process,
a worker that dies is replaced on the next call, and close() stops them."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

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
        xlsx, archive = await workers.run(workbook, {"summary": [["campaign", "x"]]})
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

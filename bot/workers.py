"""Worker processes for the bot's CPU-bound work: the /export workbook (openpyxl), charts (matplotlib) and
certificates (Pillow).

That work is pure Python or holds the GIL for most of its run, so a thread would leave the event loop a
share of one GIL, not a free core: every other update would queue behind it for the GIL. In a process it
competes only for a CPU, which the operating system shares far better. benchmarks/export_load.py measures
both (`--workers thread|process`).

What is sent to a worker must pickle: module-level functions and plain data (lists, tuples, dataclasses),
never ORM rows or sessions. The pool is started on first use, with the "spawn" method (forking a process
that runs aiosqlite's and asyncio's threads can deadlock the child), and its processes then stay for the
next request; `close` stops them. A spawned worker imports the parent's main module again, so a script
that starts the bot must do so under `if __name__ == "__main__":` (as bot/__main__.py does).
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
PROCESSES = 2  # at most this many renderings at once: a certificate need not wait for a long export


def _leave_with_parent(parent: int) -> None:
    """In each worker: exit when the bot that started it is gone. A spawned worker holds its own end of the
    task queue, so it would wait on it for ever after the bot was killed (SIGKILL, out of memory), keeping
    the bot's output open and its memory in use."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


class Workers:
    """Runs functions off the event loop: in worker processes, or with `processes=0` in threads of this
    process (for tests that replace what runs, which a worker process would not see)."""

    def __init__(self, processes: int = PROCESSES) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """`fn(*args, **kwargs)`, computed elsewhere; this coroutine waits without blocking the loop."""
        call = functools.partial(fn, *args, **kwargs)
        if self.processes <= 0:
            return await asyncio.to_thread(call)
        pool = self._pool
        if pool is None:
            context = multiprocessing.get_context("spawn")
            pool = self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=context,
                                                    initializer=_leave_with_parent, initargs=(os.getpid(),))  # fmt: skip
        try:
            return await asyncio.wrap_future(pool.submit(call))
        except BrokenProcessPool:
            if self._pool is pool:  # a worker died (killed, out of memory): the next call starts afresh
                self._pool = None
            raise

    async def close(self) -> None:
        """Stop the worker processes (after the rendering in hand; queued work is dropped)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

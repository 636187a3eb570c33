"""Bulk sending's budget: on PostgreSQL it is shared by every process on the database, so that two bot
processes together keep Telegram's per-bot limit; a send is counted when it is let go, and again when its
request goes on the wire, if that is later."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.db.session import Database
from bot.services.pacing import WINDOW, SharedBulkBudget, bulk_budget, concurrently, on_the_wire
from tests.conftest import TEST_DATABASE_URL

RATE = 10


def most_in_a_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times))


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="one SQLite file serves one process: its budget is its own")
async def test_two_processes_share_one_budget_through_postgresql(database_url: str) -> None:
    first, second = Database(database_url), Database(database_url)  # two engines, as two processes have
    budgets = [bulk_budget(first, RATE), bulk_budget(second, RATE)]
    assert all(isinstance(b, SharedBulkBudget) for b in budgets)
    sent: list[float] = []

    async def send(budget: SharedBulkBudget) -> None:
        await budget.take()
        sent.append(time.monotonic())
        await asyncio.sleep(0.1)  # the round trip

    try:
        started = time.monotonic()
        await asyncio.gather(*(concurrently([b] * 15, send, 4) for b in budgets))
        elapsed = time.monotonic() - started
    finally:
        await first.dispose()
        await second.dispose()
    assert len(sent) == 30 and most_in_a_second(sent) <= RATE  # each alone would send its own 10
    assert elapsed < 3.6  # yet together at the budget's rate: 30 at 10 a second


async def test_a_send_is_counted_from_when_its_request_went_on_the_wire(database_url: str) -> None:
    db = Database(database_url)
    budget = bulk_budget(db, 2)  # shared through the database on PostgreSQL, the process's own on SQLite
    on_wire: list[float] = []

    async def send(late: float) -> None:
        await budget.take()
        await asyncio.sleep(late)  # the request is built and written this long after (a busy event loop)
        on_the_wire()
        on_wire.append(time.monotonic())
        on_the_wire()  # its next chunk: counted once, from the first

    try:
        started = time.monotonic()
        # the first went out 0.3 s late: counted from when it was let go, the next but one would go a
        # window after that, and with the second and the late first make three in one second
        await concurrently([0.3, 0.0, 0.0, 0.0, 0.0], send, 5)
        elapsed = time.monotonic() - started
    finally:
        await db.dispose()
    assert most_in_a_second(on_wire) <= 2
    assert elapsed < 2 * WINDOW + 0.3 + 0.5  # and no slower than the late send requires

"""Bulk sending's budget: on PostgreSQL it is shared by every process on the database, so that two bot
processes together keep Telegram's per-bot limit; a send is counted when it is let go."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.db.session import Database
from bot.services.pacing import SharedBulkBudget, bulk_budget, concurrently
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

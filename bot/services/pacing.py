"""Bulk sending at Telegram's pace: broadcasts and the daily reading share one budget of messages per
second, and send concurrently up to a bound, so that the rate is the budget's, not the round trip's
(one message at a time reaches only 1/RTT a second: 6 a second at a 150 ms round trip).

Several bot processes on one PostgreSQL database share one budget through it (Telegram counts per bot).
Replies to people who just pressed something are not bulk and do not wait for this budget; the rate
limiter in bot/ratelimit.py paces them per chat."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol, TypeVar

from bot.db import bulk_slots
from bot.db.session import Database

T = TypeVar("T")
R = TypeVar("R")


# A send reaches Telegram a little after its turn is taken (the event loop, the connection pool), and
# not always equally late: sends taken a full second apart can arrive a little less apart. The window is
# kept this much longer than a second, so that Telegram never counts more than `rate` in one. With 50 ms,
# one benchmarks/load.py run of six counted 26 in a second; with 70 ms none of six did (23.0-23.3/s).
MARGIN = 0.07
WINDOW = 1.0 + MARGIN
LATE = 0.005  # seconds: a send let go later than this after its time is counted from when it went


class Budget(Protocol):
    """At most `rate` bulk sends in any one-second window: `take()` right before each send."""

    rate: int

    async def take(self) -> None: ...


class BulkBudget:
    """The budget of one process (SQLite: one process per database): a sliding log of the last `rate`
    sends, taken in turn; a send is counted when it is let go, and waits until the send `rate` before it
    is a window old. (A leaky bucket of `rate` a second would let a burst of `rate` through on top of the
    steady flow.)"""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._sent: deque[float] = deque(maxlen=rate)
        self._turn = asyncio.Lock()

    async def take(self) -> None:
        async with self._turn:
            due = self._sent[0] + WINDOW if len(self._sent) == self.rate else time.monotonic()
            while (delay := due - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            went = time.monotonic()
            # counted from when it was due if it went then (a late wake-up would otherwise stretch every
            # cycle and lower the rate), from when it went if later
            self._sent.append(due if went - due <= LATE else went)


class SharedBulkBudget:
    """The budget of every process on one PostgreSQL database together (webhook workers behind a load
    balancer): Telegram's limit is per bot, not per process. The log of sends is a table of `rate` slots
    (bot/db/bulk_slots.py): each send is scheduled on the slot used longest ago, a window after that
    slot's last send, and goes at that time; when it goes later (a busy event loop), the slot counts it
    from when it went. Times are the machines' clocks (seconds since the epoch, as NTP keeps them), so a
    send goes when due, not a database round trip after. One send of this process at a time is
    scheduled, waited for and let go, so that none is let go before an earlier one."""

    def __init__(self, db: Database, rate: int) -> None:
        self.db = db
        self.rate = rate
        self._turn = asyncio.Lock()
        self._slots_made = False
        self._late: tuple[int, float, float] | None = None  # (slot, scheduled, went) of the last send

    async def take(self) -> None:
        async with self._turn:
            slot, scheduled = await self._schedule()
            while (delay := scheduled - time.time()) > 0:
                await asyncio.sleep(delay)
            if (went := time.time()) - scheduled > LATE:  # recorded before this process schedules another
                self._late = (slot, scheduled, went)

    async def _schedule(self) -> tuple[int, float]:
        # The connection is given back before the wait: giving it back (resetting it) takes a round trip
        # that would otherwise come between the send's time and the send.
        async with self.db.engine.connect() as connection:
            # one statement at a time, committed as it runs: a slot's row is locked only while it runs
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            if not self._slots_made:
                await bulk_slots.add_slots(autocommit, rate=self.rate)
                self._slots_made = True
            if self._late is not None:
                slot, scheduled, went = self._late
                await bulk_slots.sent_late(autocommit, slot=slot, scheduled=scheduled, at=went)
                self._late = None
            taken = await bulk_slots.schedule_send(autocommit, rate=self.rate, window=WINDOW, now=time.time())
            if taken is None:  # the table was emptied under us
                await bulk_slots.add_slots(autocommit, rate=self.rate)
                taken = await bulk_slots.schedule_send(
                    autocommit, rate=self.rate, window=WINDOW, now=time.time()
                )
        assert taken is not None
        return taken


def bulk_budget(db: Database, rate: int) -> Budget:
    """The budget for bulk sending on `db`: shared through the database on PostgreSQL, where several bot
    processes may run; the process's own on SQLite, which one process uses at a time."""
    return SharedBulkBudget(db, rate) if db.engine.dialect.name == "postgresql" else BulkBudget(rate)


async def concurrently(items: Iterable[T], step: Callable[[T], Awaitable[R]], limit: int) -> list[R]:
    """`step(item)` for every item, at most `limit` at a time; the results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with gate:
            return await step(item)

    return list(await asyncio.gather(*(one(item) for item in items)))

"""Bulk sending at Telegram's pace: broadcasts and the daily reading share one budget of messages per
second, and send concurrently up to a bound, so that the rate is the budget's, not the round trip's
(one message at a time reaches only 1/RTT a second: 6 a second at a 150 ms round trip).

Several bot processes on one PostgreSQL database share one budget through it (Telegram counts per bot).
Replies to people who just pressed something are not bulk and do not wait for this budget; the rate
limiter in bot/ratelimit.py paces them per chat."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from functools import partial
from typing import Protocol, TypeVar

from bot.db import bulk_slots
from bot.db.session import Database

T = TypeVar("T")
R = TypeVar("R")


# Each send is counted from when its request went on the wire (`on_the_wire`, called by bot/transport.py):
# a send is written a variable time after the budget lets it go (its request is built, then written by a
# task of aiohttp's on a later turn of a busy event loop: under benchmarks/load.py up to 27-218 ms), and
# counting it from when it was let go left that jitter to a margin of 70 ms (23.4/s at most). The margin
# now covers what comes after: the kernel's sending and the way to Telegram, not equally long for every
# message. In benchmarks/load.py, whose Telegram is on the same machine and stamps arrivals by the kernel,
# any 26 sends arrived over at least a window less 8 ms (load average 3.5); 20 ms leaves the rest to the
# network, and a rate of 24.5/s at most (50,000 messages in 34 minutes).
MARGIN = 0.02
WINDOW = 1.0 + MARGIN


class Budget(Protocol):
    """At most `rate` bulk sends in any one-second window: `take()` right before each send."""

    rate: int

    async def take(self) -> None: ...


class _Sending:
    """The send a budget let this task make: `went()` counts it from now, once (its first request)."""

    def __init__(self, count_from: Callable[[float], None], clock: Callable[[], float]) -> None:
        self._count_from: Callable[[float], None] | None = count_from
        self._clock = clock

    def went(self) -> None:
        if self._count_from is not None:
            count_from, self._count_from = self._count_from, None
            count_from(self._clock())


_sending: ContextVar[_Sending | None] = ContextVar("bulk_sending", default=None)


def on_the_wire() -> None:
    """The transport's hook, called as a request's bytes are written (bot/transport.py): if this task
    makes a send that a budget let go, its slot counts it from now rather than from when it was let go.
    (aiohttp writes a request in a task of its own, which copies this task's context, and so sees it.)"""
    sending = _sending.get()
    if sending is not None:
        sending.went()


class BulkBudget:
    """The budget of one process (SQLite: one process per database): `rate` slots, each holding when its
    last send went; sends take turns, and each waits until the slot used longest ago is a window old, then
    takes it. (A leaky bucket of `rate` a second would let a burst of `rate` through on top of the steady
    flow.) A slot counts its send from when it was let go, then from when its request went on the wire."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._went = [-math.inf] * rate  # time.monotonic()
        self._turn = asyncio.Lock()

    async def take(self) -> None:
        async with self._turn:
            # the oldest slot again after each wait: a send counted later meanwhile may have moved it
            while (delay := min(self._went) + WINDOW - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            slot = self._went.index(min(self._went))
            self._went[slot] = time.monotonic()
        _sending.set(_Sending(partial(self._count_from, slot), time.monotonic))

    def _count_from(self, slot: int, at: float) -> None:
        # never earlier: the slot may meanwhile hold a later send (if this one took a window to go out)
        self._went[slot] = max(self._went[slot], at)


class SharedBulkBudget:
    """The budget of every process on one PostgreSQL database together (webhook workers behind a load
    balancer): Telegram's limit is per bot, not per process. The slots are a table (bot/db/bulk_slots.py):
    each send is scheduled on the slot used longest ago, a window after that slot's last send, and goes at
    that time; when it goes later, and when its request goes on the wire, the slot counts it from then (at
    this process's next scheduling: in a steady flow the slot's next send is scheduled most of a window
    later). Times are the machines' clocks (seconds since the epoch, as NTP keeps them), so a send goes
    when due, not a database round trip after. One send of this process at a time is scheduled, waited for
    and let go, so that none is let go before an earlier one."""

    def __init__(self, db: Database, rate: int) -> None:
        self.db = db
        self.rate = rate
        self._turn = asyncio.Lock()
        self._slots_made = False
        self._went: dict[int, float] = {}  # slot: when its send went, later than scheduled; not yet written

    async def take(self) -> None:
        async with self._turn:
            slot, scheduled = await self._schedule()
            # later if this process's last send on the slot went on the wire late, and after the slot was
            # scheduled (in a burst after a pause, the slot's next send is scheduled at once)
            while (delay := max(scheduled, self._went.get(slot, -math.inf) + WINDOW) - time.time()) > 0:
                await asyncio.sleep(delay)
            self._count_from(slot, time.time())
        _sending.set(_Sending(partial(self._count_from, slot), time.time))

    def _count_from(self, slot: int, at: float) -> None:
        self._went[slot] = max(self._went.get(slot, at), at)

    async def _schedule(self) -> tuple[int, float]:
        # The connection is given back before the wait: giving it back (resetting it) takes a round trip
        # that would otherwise come between the send's time and the send.
        async with self.db.engine.connect() as connection:
            # one statement at a time, committed as it runs: a slot's row is locked only while it runs
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            if not self._slots_made:
                await bulk_slots.add_slots(autocommit, rate=self.rate)
                self._slots_made = True
            if self._went:
                went, self._went = self._went, {}
                await bulk_slots.count_from(autocommit, went)
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

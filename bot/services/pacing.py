"""Bulk sending at Telegram's pace: broadcasts and the daily reading share one budget of messages per
second, and send concurrently up to a bound, so that the rate is the budget's, not the round trip's
(one message at a time reaches only 1/RTT a second: 6 a second at a 150 ms round trip).

Replies to people who just pressed something are not bulk and do not wait for this budget; the rate
limiter in bot/ratelimit.py paces them per chat."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


# A send reaches Telegram a little after its turn is taken (the event loop, the connection pool), and
# not always equally late: sends taken a full second apart can arrive a little less apart. The window is
# kept this much longer than a second, so that Telegram never counts more than `rate` in one.
MARGIN = 0.05


class BulkBudget:
    """At most `rate` sends in any one-second window: a sliding log of the last `rate` sends, taken in
    turn. (A leaky bucket of `rate` a second would let a burst of `rate` through on top of the steady
    flow.) `take()` right before each send."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._sent: deque[float] = deque(maxlen=rate)
        self._turn = asyncio.Lock()

    async def take(self) -> None:
        async with self._turn:
            if len(self._sent) == self.rate:
                delay = self._sent[0] + 1.0 + MARGIN - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            self._sent.append(time.monotonic())


async def concurrently(items: Iterable[T], step: Callable[[T], Awaitable[R]], limit: int) -> list[R]:
    """`step(item)` for every item, at most `limit` at a time; the results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with gate:
            return await step(item)

    return list(await asyncio.gather(*(one(item) for item in items)))

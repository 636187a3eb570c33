"""How fast the bot talks to Telegram: replies are paced per chat and never capped overall, a callback
answer never waits, a 429 is waited out; bulk sending keeps its budget and is not bounded by the round
trip."""

from __future__ import annotations

import asyncio
import time
import warnings
from datetime import timedelta

import pytest
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.ratelimit import ChatPacing
from bot.services.pacing import BulkBudget, concurrently


async def timed_calls(
    pacing: ChatPacing, data: list[dict[str, object]], endpoint: str = "sendMessage"
) -> list[float]:
    started, times = time.monotonic(), []

    async def call() -> bool:
        times.append(time.monotonic() - started)
        return True

    await asyncio.gather(*(pacing.process_request(call, (), {}, endpoint, d, None) for d in data))
    return sorted(times)


async def test_one_busy_chat_is_paced_and_nobody_else_waits_for_it() -> None:
    pacing = ChatPacing(chat_burst=3, chat_rate=10)
    busy = await timed_calls(pacing, [{"chat_id": 1}] * 6)
    assert max(busy[:3]) < 0.05 and busy[5] >= 0.25  # a burst of 3, then 10 a second
    others = await timed_calls(pacing, [{"chat_id": n} for n in range(2, 102)])
    assert max(others) < 0.1  # a hundred other people's replies: no overall cap
    answers = await timed_calls(pacing, [{"callback_query_id": "1"}] * 50, "answerCallbackQuery")
    assert max(answers) < 0.05  # pressing a button is answered at once


async def test_a_group_gets_telegrams_twenty_a_minute() -> None:
    pacing = ChatPacing(chat_burst=1000, chat_rate=1000)
    first = await timed_calls(pacing, [{"chat_id": -100}] * 20)
    assert max(first) < 0.05
    with pytest.raises(TimeoutError):  # the 21st waits about three seconds
        async with asyncio.timeout(0.5):
            await timed_calls(pacing, [{"chat_id": -100}])


async def test_a_429_is_waited_out_and_retried() -> None:
    pacing, tries = ChatPacing(chat_burst=10, chat_rate=10, max_retries=2), []
    with warnings.catch_warnings():  # PTB 22 warns of the type retry_after will have
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        too_many = RetryAfter(timedelta(seconds=0.1))

    async def flaky() -> str:
        tries.append(time.monotonic())
        if len(tries) < 3:
            raise too_many
        return "sent"

    assert await pacing.process_request(flaky, (), {}, "sendMessage", {"chat_id": 5}, None) == "sent"
    assert len(tries) == 3 and tries[2] - tries[0] >= 0.2
    tries.clear()
    with pytest.raises(RetryAfter):
        await pacing.process_request(flaky, (), {}, "sendMessage", {"chat_id": 5}, 0)


async def test_bulk_sending_keeps_its_rate_whatever_the_round_trip() -> None:
    budget, sent_at = BulkBudget(20), []

    async def send(_: int) -> None:
        await budget.take()
        sent_at.append(time.monotonic())
        await asyncio.sleep(0.15)  # a slow round trip to Telegram

    started = time.monotonic()
    await concurrently(range(50), send, 6)
    elapsed = time.monotonic() - started
    assert all(b - a > 1.0 for a, b in zip(sent_at, sent_at[20:], strict=False))  # never 21 in a second
    assert elapsed < 2.9  # 50 at 20 a second, not one round trip at a time (50 x 0.15 s = 7.5 s)

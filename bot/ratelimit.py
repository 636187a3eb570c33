"""How fast the bot talks to Telegram, as Telegram's limits apply to a bot that answers people.

Telegram limits a bot per chat (about one message a second in a private chat, twenty a minute in a
group) and in bulk (about thirty a second across chats). Replies to someone who just pressed a button
are not bulk: capping every call at the bulk rate made 200 users wait ten seconds for an answer. So
here: no overall cap; each chat paced on its own (private chats: a burst, then CHAT_RATE a second;
groups: twenty a minute); callback answers, which carry no chat, never wait; a 429 is waited out and
the call retried. Bulk sending keeps its own budget (bot/services/pacing.py)."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
GROUP_PERIOD = 60  # seconds: FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP in every minute
KEEP = 1024  # chats whose limiter is kept while idle; beyond it, idle ones are dropped

Call = Callable[..., Coroutine[Any, Any, Any]]


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's `retry_after`, whichever type this version of PTB hands out."""
    with warnings.catch_warnings():  # PTB 22 warns that the int form will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ChatPacing(BaseRateLimiter[int]):
    """Per-chat pacing with retries after a 429 (`rate_limit_args` overrides `max_retries`)."""

    def __init__(self, *, chat_burst: int, chat_rate: float, max_retries: int = 2) -> None:
        self.chat_burst, self.chat_rate, self.max_retries = chat_burst, chat_rate, max_retries
        self._chats: dict[int | str, AsyncLimiter] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _limiter(self, chat_id: int | str) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) >= KEEP:  # forget chats that are idle (their bucket is full again)
                for key, idle in list(self._chats.items()):
                    if idle.has_capacity(idle.max_rate):
                        del self._chats[key]
            group = isinstance(chat_id, str) or chat_id < 0
            limiter = (AsyncLimiter(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP, GROUP_PERIOD) if group
                       else AsyncLimiter(self.chat_burst, self.chat_burst / self.chat_rate))  # fmt: skip
            self._chats[chat_id] = limiter
        return limiter

    async def process_request(
        self, callback: Call, args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:  # fmt: skip
        chat_id = data.get("chat_id")
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            try:
                if chat_id is None:
                    return await callback(*args, **kwargs)
                async with self._limiter(chat_id):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                log.info("%s: Telegram asked to wait %.1f s", endpoint, retry_seconds(error))
                await asyncio.sleep(retry_seconds(error))
        raise AssertionError("unreachable")

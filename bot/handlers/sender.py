"""The Telegram side of the services' sender interface: messages the bot sends on its own (jobs), with
what became of each as an `Outcome`, and a group round's polls and table."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardMarkup, InputFile, Poll
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.ratelimit import retry_seconds
from bot.services.group_quiz import PollToSend, RoundTable
from bot.services.outbound import Outcome
from bot.views import Voice
from bot.views.group_quiz import table_text

log = logging.getLogger(__name__)
RETRIES = 3  # after a 429 beyond what the rate limiter already retried
GONE = ("chat not found", "user is deactivated")


async def send_text(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> Outcome:
    """Send one message: `blocked` when the user blocked the bot or is gone, `failed` on any other
    error; a 429 is waited out and tried again."""
    return await _send(chat_id, lambda: bot.send_message(chat_id, text, reply_markup=markup))


async def send_document(bot: Bot, chat_id: int, data: bytes, file_name: str) -> Outcome:
    """Send one file, with the outcomes of `send_text`."""
    return await _send(
        chat_id, lambda: bot.send_document(chat_id, InputFile(io.BytesIO(data), filename=file_name))
    )


async def send_copy(bot: Bot, chat_id: int, from_chat_id: int, message_id: int) -> Outcome:
    """Copy a message (a photo or a file with its caption, ...) to `chat_id`, with the outcomes of
    `send_text`."""
    return await _send(chat_id, lambda: bot.copy_message(chat_id, from_chat_id, message_id))


async def _send(chat_id: int, call: Callable[[], Awaitable[object]]) -> Outcome:
    for _ in range(RETRIES + 1):
        try:
            await call()
            return Outcome.sent
        except RetryAfter as exc:
            await asyncio.sleep(retry_seconds(exc))
        except Forbidden:
            return Outcome.blocked
        except BadRequest as exc:
            if any(reason in exc.message.lower() for reason in GONE):
                return Outcome.blocked
            log.warning("message to %s refused: %s", chat_id, exc.message)
            return Outcome.failed
        except TelegramError as exc:
            log.warning("message to %s not sent: %s", chat_id, type(exc).__name__)
            return Outcome.failed
    log.warning("message to %s not sent: still rate limited after %d tries", chat_id, RETRIES + 1)
    return Outcome.failed


class PollPoster:
    """Shows a group round's polls and table in Telegram (the `RoundPoster` the engine drives)."""

    def __init__(self, bot: Bot, voice: Voice) -> None:
        self.bot = bot
        self.voice = voice

    async def poll(self, step: PollToSend) -> str | None:
        header = self.voice.t("group.poll_header", n=step.position + 1, total=step.total)
        try:
            message = await self.bot.send_poll(
                step.chat_id, question=f"{header}{step.question.stem}"[:300], options=[o[:100] for o in step.options],
                type=Poll.QUIZ, correct_option_ids=[step.correct_option], is_anonymous=False,  # type: ignore[list-item]
                open_period=step.open_period, explanation=step.question.explanation[:200],
            )  # fmt: skip
        except TelegramError as exc:
            log.warning(
                "group round %s: poll %s not sent: %s", step.round_id, step.position + 1, type(exc).__name__
            )
            return None
        return message.poll.id if message.poll is not None else None

    async def table(self, table: RoundTable) -> None:
        try:
            await self.bot.send_message(table.chat_id, table_text(self.voice, table))
        except TelegramError as exc:
            log.warning("group round %s: table not sent: %s", table.round_id, type(exc).__name__)

"""Messages the bot sends on its own (jobs), with what became of each as an `Outcome`."""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.services.outbound import Outcome

log = logging.getLogger(__name__)
RETRIES = 3  # after a 429 beyond what the rate limiter already retried
GONE = ("chat not found", "user is deactivated")


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's `retry_after`, whichever type this version of PTB hands out."""
    with warnings.catch_warnings():  # PTB 22 warns that the int form will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def send_text(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> Outcome:
    """Send one message: `blocked` when the user blocked the bot or is gone, `failed` on any other
    error; a 429 is waited out and tried again."""
    for _ in range(RETRIES + 1):
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)
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

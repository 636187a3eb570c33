"""The one wrapper every handler runs in: one database session per update, the user's row, their
language, one log line (handler, user id, latency), and refusals shown as short alerts."""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.db.models import User
from bot.db.users import touch_user
from bot.runtime import BotContext, Services
from bot.services.errors import Refused

log = logging.getLogger("bot.updates")


class Voice(Protocol):
    """What renders text for a user: the services and the user's language."""

    services: Services

    def t(self, key: str, **values: Any) -> str: ...


@dataclass
class Speaker:
    """A Voice outside an update (jobs that message users)."""

    services: Services
    lang: str

    def t(self, key: str, **values: Any) -> str:
        return self.services.content.i18n.t(self.lang, key, **values)


@dataclass
class Turn:
    """Everything a handler needs for one update."""

    update: Update
    context: BotContext
    session: AsyncSession
    user: User | None
    services: Services
    answered: bool = False

    @property
    def lang(self) -> str:
        return self.user.language if self.user else self.services.settings.default_language

    def t(self, key: str, **values: Any) -> str:
        return self.services.content.i18n.t(self.lang, key, **values)

    @property
    def private(self) -> bool:
        chat = self.update.effective_chat
        return chat is not None and chat.type == ChatType.PRIVATE

    @property
    def query(self) -> CallbackQuery | None:
        return self.update.callback_query

    def args(self) -> list[str]:
        return list(self.context.args or [])

    async def reply(self, text: str, markup: InlineKeyboardMarkup | None = None) -> Message | None:
        """Send a new message to the chat the update came from."""
        chat = self.update.effective_chat
        if chat is None:
            return None
        return await self.context.bot.send_message(chat.id, text, reply_markup=markup)

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Edit the pressed message in place (for button presses), or send a new one."""
        query = self.query
        if (
            query is not None
            and query.message is not None
            and isinstance(query.message, Message)
            and query.message.text
        ):
            try:
                await query.edit_message_text(text, reply_markup=markup)
            except BadRequest as exc:
                if "not modified" not in str(exc):
                    raise
            return
        await self.reply(text, markup)

    async def edit_markup(self, keyboard: list[list[InlineKeyboardButton]]) -> None:
        """Replace the buttons of the pressed message."""
        if self.query is not None:
            with contextlib.suppress(BadRequest):
                await self.query.edit_message_reply_markup(
                    InlineKeyboardMarkup(keyboard) if keyboard else None
                )

    async def alert(self, text: str, *, popup: bool = True) -> None:
        """Answer the pressed button with a short notice (a pop-up unless `popup` is false)."""
        if self.query is not None and not self.answered:
            self.answered = True
            with contextlib.suppress(BadRequest):  # a replayed update's query was answered already
                await self.query.answer(text, show_alert=popup)


Handler = Callable[[Turn], Awaitable[None]]


def handles(func: Handler) -> Callable[[Update, BotContext], Awaitable[None]]:
    """Wrap a handler: one transaction per update, committed when it returns, rolled back if it raises."""
    name = f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"

    @functools.wraps(func)
    async def wrapper(update: Update, context: BotContext) -> None:
        started = time.perf_counter()
        services = context.services
        tg_user = update.effective_user
        outcome = "ok"
        try:
            async with services.db.transaction() as session:
                user = None
                if tg_user is not None and not tg_user.is_bot:
                    language = services.content.i18n.language_for(tg_user.language_code)
                    user = await touch_user(session, user_id=tg_user.id, language=language)
                turn = Turn(update, context, session, user, services)
                try:
                    await func(turn)
                except Refused as refusal:
                    outcome = "refused"
                    await _refuse(turn, refusal)
                if turn.query is not None and not turn.answered:
                    await _answer_quietly(turn.query)
        except Exception:
            outcome = "error"
            raise
        finally:
            log.info(
                "update=%s handler=%s user=%s outcome=%s latency_ms=%.1f",
                update.update_id,
                name,
                tg_user.id if tg_user else "-",
                outcome,
                (time.perf_counter() - started) * 1000,
            )

    return wrapper


async def _refuse(turn: Turn, refusal: Refused) -> None:
    text = turn.t(refusal.key)
    if turn.query is not None:
        await turn.alert(text)
    else:
        await turn.reply(text)


async def _answer_quietly(query: CallbackQuery) -> None:
    """Stop the button's spinner (a query too old to answer has no spinner left to stop)."""
    with contextlib.suppress(BadRequest):
        await query.answer()

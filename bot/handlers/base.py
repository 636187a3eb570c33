"""The one wrapper every handler runs in: one database session per update, the user's row, their
language, one log line (handler, user id, latency), and refusals shown as short alerts.

`handles` reads (or creates) the user's row first. `handles_without_user` skips that for the hot path of
answering quiz questions, whose own statement reads the language; such a handler sets `turn.lang` or calls
`learn_language` before it says anything."""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot import callbacks
from bot.keyboards import quiz as quiz_keyboards
from bot.runtime import BotContext, Services
from bot.services.errors import Refused

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.db.models import User

log = logging.getLogger("bot.updates")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Turn:
    """Everything a handler needs for one update.

    What the handler says (reply, show, alert, ...) is queued and sent after the database work is
    committed, so no transaction is held open while Telegram answers, and nothing is said about a
    change that was then rolled back.
    """

    update: Update
    context: BotContext
    session: AsyncSession
    user: User | None
    services: Services
    lang: str | None  # None until learnt, in handlers that do not read the user's row
    answered: bool = False
    in_place: bool = True  # `show` edits the pressed message; False: it sends a new one
    outbox: list[Callable[[], Awaitable[object]]] = field(default_factory=list)
    lost: bool = False  # something said in this update was not delivered (see flush)

    @property
    def language(self) -> str:
        if self.lang is None:
            raise RuntimeError("the user's language is not known yet: set turn.lang or learn_language()")
        return self.lang

    def t(self, key: str, **values: Any) -> str:
        return self.services.content.i18n.t(self.language, key, **values)

    async def learn_language(self) -> None:
        """Read the user's chosen language, where the handler did not read the user's row."""
        if self.lang is None:
            self.lang = await _language_of(self.session, self.update, self.services)

    @property
    def me(self) -> User:
        """The user's row: always there in a `handles` handler for an update from a person."""
        if self.user is None:
            raise Refused()
        return self.user

    @property
    def user_id(self) -> int:
        """Who sent the update; one without a sender (a channel post, a forged update) is refused."""
        sender = self.update.effective_user
        if sender is None:
            raise Refused()
        return sender.id

    @property
    def chat_id(self) -> int:
        chat = self.update.effective_chat
        if chat is None:
            raise Refused()
        return chat.id

    @property
    def data(self) -> str:
        """The pressed button's callback data (untrusted: parse it with bot.callbacks.parse)."""
        query = self.update.callback_query
        return str(query.data or "") if query is not None else ""

    @property
    def private(self) -> bool:
        chat = self.update.effective_chat
        return chat is not None and chat.type == ChatType.PRIVATE

    @property
    def query(self) -> CallbackQuery | None:
        return self.update.callback_query

    def args(self) -> list[str]:
        """The command's words, without control characters (a NUL is refused by PostgreSQL)."""
        return [clean(a) for a in self.context.args or [] if clean(a)]

    @property
    def text(self) -> str:
        """The message's text (or a photo's caption), without control characters other than line breaks."""
        message = self.update.effective_message
        return clean((message.text or message.caption or "") if message else "")

    def later(self, action: Callable[[], Awaitable[object]], *, if_delivered: bool = False) -> None:
        """Run `action` after the update's transaction is committed; `if_delivered`: only when everything
        said before it was delivered."""

        async def unless_lost() -> None:
            if not self.lost:
                await action()

        self.outbox.append(unless_lost if if_delivered else action)

    async def reply(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Send a new message to the chat the update came from."""
        chat = self.update.effective_chat
        if chat is not None:
            self.later(lambda: self.context.bot.send_message(chat.id, text, reply_markup=markup))

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Edit the pressed message in place (for button presses), or send a new one."""
        query = self.query
        if self.in_place and query is not None and isinstance(query.message, Message) and query.message.text:
            self.later(lambda: _edit(query, text, markup))
            return
        await self.reply(text, markup)

    async def edit_markup(
        self, keyboard: Sequence[Sequence[InlineKeyboardButton]], *, if_delivered: bool = False
    ) -> None:
        """Replace the buttons of the pressed message (`if_delivered`: only when what was said before arrived)."""
        query = self.query
        if query is not None:
            markup = InlineKeyboardMarkup(keyboard) if keyboard else None
            self.later(lambda: _edit_markup(query, markup), if_delivered=if_delivered)

    async def alert(self, text: str, *, popup: bool = True) -> None:
        """Answer the pressed button with a short notice (a pop-up unless `popup` is false)."""
        query = self.query
        if query is not None and not self.answered:
            self.answered = True
            self.later(lambda: _answer(query, text, popup))

    async def flush(self) -> None:
        """Send what the handler said, in order. One that Telegram refuses (after the rate limiter's
        retries) does not stop the rest: the update's work is committed, and what follows (the next
        question) must still go. A later tap shows the attempt where it is."""
        for action in self.outbox:
            try:
                await action()
            except TelegramError as exc:
                self.lost = True
                log.warning("update=%s: a reply was not delivered: %s", self.update.update_id, exc)
        self.outbox.clear()


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed message; when it cannot be edited (deleted, too old), send the text anew."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in str(exc):
            return
        chat = query.message.chat if query.message is not None else None
        if chat is None:
            raise
        await query.get_bot().send_message(chat.id, text, reply_markup=markup)


async def _edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(markup)


async def _answer(query: CallbackQuery, text: str | None, popup: bool) -> None:
    with contextlib.suppress(BadRequest):  # a replayed update's query was answered already, or is too old
        await query.answer(text, show_alert=popup)


async def _language_of(session: AsyncSession, update: Update, services: Services) -> str:
    """The user's chosen language; for someone without a row, the one their Telegram app suggests."""
    tg_user = update.effective_user
    if tg_user is None:
        return services.settings.default_language
    chosen = await services.registration.languages(session, {tg_user.id})
    return chosen.get(tg_user.id) or services.content.i18n.language_for(tg_user.language_code)


def _is_command(update: Update) -> bool:
    """A /command (deep links included): after one, the user's next text is what that command asks for,
    or a question, never the reply to an earlier prompt (a broadcast's text after /broadcast, /start and
    a typed enrollment question had been taken as the broadcast)."""
    message = update.message
    return bool(message and message.text and message.text.startswith("/"))


def _out_of_place(update: Update) -> bool:
    """A button of a private feature pressed outside a private chat. Such a feature's commands are refused in
    groups (commands.py); its buttons, forged on the bot's message in a group, had run it there (a robustness
    pass: quiz:menu made the group's FAQ answer the presser's practice menu, quiz:go posted their question in
    the group, del:ask asked there whether to erase their data). Buttons of what the bot says in groups are
    declared so (callbacks: `groups=True`); data that parses into no kind is left to the stale-button answer."""
    query = update.callback_query
    if query is None:
        return False
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        return False
    kind = callbacks.parse(query.data)
    return kind is not None and not kind.groups


GROUP_NOTICES = "group_notices"  # bot_data key: (chat id, notice) -> when it was last posted in that group
NOTICE_SECONDS = 60  # a notice posted in a group is not posted there again within this


def notice_due(turn: Turn, notice: str) -> bool:
    """Whether a group's notice (use the private chat for that) is to be posted: not when the same one was posted
    in the group within NOTICE_SECONDS. A class told to add the bot sends /start, /rank … together; each had
    been answered, and at Telegram's twenty messages a minute in a group the answers held up a round's polls
    for minutes. Kept by each process (a few copies at most with several workers); private chats are always due."""
    if turn.private:
        return True
    posted: dict[tuple[int, str], datetime] = turn.context.bot_data.setdefault(GROUP_NOTICES, {})
    now, key = turn.services.clock(), (turn.chat_id, notice)
    last = posted.get(key)
    if last is not None and (now - last).total_seconds() < NOTICE_SECONDS:
        return False
    if len(posted) > 1000:  # forget the stale ones
        for stale in [k for k, at in posted.items() if (now - at).total_seconds() >= NOTICE_SECONDS]:
            del posted[stale]
    posted[key] = now
    return True


def clean(text: str) -> str:
    """`text` without control characters other than line breaks and tabs (what users send is kept as
    they typed it otherwise)."""
    return CONTROL.sub("", text)


Handler = Callable[[Turn], Awaitable[None]]
Wrapped = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def handles(func: Handler) -> Wrapped:
    """Wrap a handler: one transaction per update, committed when it returns, rolled back if it raises;
    then what the handler said is sent. The user's row is read (created on first contact) first."""
    return _wrap(func, read_user=True)


def handles_without_user(func: Handler) -> Wrapped:
    """As `handles`, without reading the user's row: `turn.user` and `turn.lang` are None, and last-seen
    is not refreshed (the user's other updates do that; every quiz begins with one)."""
    return _wrap(func, read_user=False)


def _wrap(func: Handler, *, read_user: bool) -> Wrapped:
    name = f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"

    @functools.wraps(func)
    async def wrapper(update: Update, context: BotContext) -> None:
        started = time.perf_counter()
        services = context.services
        tg_user = update.effective_user
        outcome = "ok"
        turn: Turn | None = None
        try:
            try:
                async with services.db.transaction() as session:
                    if _out_of_place(update):  # refused before anything is read or written
                        turn = Turn(update, context, session, None, services, None)
                        raise Refused("group.private_button")
                    user, lang = None, None
                    if read_user and tg_user is not None and not tg_user.is_bot:
                        language = services.content.i18n.language_for(tg_user.language_code)
                        user = await services.registration.touch(session, tg_user.id, language)
                        lang = user.language
                        if _is_command(update):  # a command leaves whatever typed reply was awaited
                            user.awaiting = None
                    elif read_user:
                        lang = services.settings.default_language
                    turn = Turn(update, context, session, user, services, lang)
                    await func(turn)
            except Refused as refusal:  # raised out of the transaction: whatever it began is rolled back
                if turn is None:
                    raise
                outcome = "refused"
                turn.outbox.clear()
                if turn.lang is None:
                    async with services.db.transaction() as session:
                        turn.lang = await _language_of(session, update, services)
                await _refuse(turn, refusal)
            if turn.query is not None and not turn.answered:  # first: the button stops spinning at once
                turn.outbox.insert(0, lambda: _answer(turn.query, None, False))  # type: ignore[union-attr, arg-type]
            await turn.flush()
        except Exception:
            outcome = "error"
            raise
        finally:
            log.info("update=%s handler=%s user=%s outcome=%s latency_ms=%.1f", update.update_id, name,
                     tg_user.id if tg_user else "-", outcome, (time.perf_counter() - started) * 1000)  # fmt: skip

    return wrapper


async def _refuse(turn: Turn, refusal: Refused) -> None:
    text = turn.t(refusal.key, **refusal.values)
    if refusal.resume is not None:  # an exam under way: go back to it, or give it up, but say which
        if turn.query is not None:
            await turn.alert(text, popup=False)
        await turn.reply(text, quiz_keyboards.resume(turn.t, refusal.resume, give_up=True))
    elif turn.query is not None:
        await turn.alert(text)
    else:
        await turn.reply(text)

"""/start and the main menu."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import callbacks, keyboards
from bot.callbacks import Menu
from bot.domain import AttemptMode
from bot.handlers.attempts import offer_open_attempt
from bot.handlers.base import Turn, handles, notice_due
from bot.handlers.onboarding import deep_links, open_feature
from bot.services.errors import Refused


@handles
async def start(turn: Turn) -> None:
    if not turn.private:
        if not notice_due(turn, "start"):
            return
        await turn.reply(turn.t("group.start"), keyboards.open_private(turn.t, turn.context.bot.username))
        return
    kind, _, code = (turn.args()[:1] or [""])[0].partition("_")
    opener = deep_links(turn).get(kind) if code else None
    if opener is not None:  # t.me/<bot>?start=<kind>_<code>: a join link, an admin invite
        await opener(turn, code)
        return
    await turn.reply(turn.t("start.welcome"), keyboards.main_menu(turn.t))
    # a quiz under way is offered below the menu (/start mid-quiz had shown the menu alone)
    await offer_open_attempt(turn, below=True, unless=AttemptMode.reading)


@handles
async def menu(turn: Turn) -> None:
    """A main-menu button opens a feature by name (quiz, scores, faq, help), wherever it lives."""
    match callbacks.parse(turn.data):
        case Menu(item):
            await open_feature(turn, item)
        case _:
            raise Refused()


HANDLERS = [CallbackQueryHandler(menu, pattern=callbacks.kinds(Menu))]

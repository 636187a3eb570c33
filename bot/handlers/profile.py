"""/profile, /language and /deleteme: a user's own data, shown, changed or erased."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import keyboards
from bot.domain import Role
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import ask, require_registration
from bot.i18n import LANGUAGES
from bot.keyboards import parse_data
from bot.services.errors import Refused
from bot.services.registration import Step
from bot.views.profile import profile_summary

PRIVATE = filters.ChatType.PRIVATE
CHANGES = {"role": Step.role, "school": Step.school, "grade": Step.grade}


@handles
async def profile(turn: Turn) -> None:
    user = turn.user
    assert user is not None
    if not await require_registration(turn, then="profile"):  # the summary at the end is the profile
        return
    await turn.reply(
        turn.t("profile.title") + "\n" + profile_summary(turn, user),
        keyboards.profile(turn.t, user.role == Role.student),
    )


@handles
async def change(turn: Turn) -> None:
    user, query = turn.user, turn.query
    assert user is not None and query is not None
    fields = parse_data(query.data, "prof:change", 1)
    step = CHANGES.get(fields[0]) if fields else None
    if step is None or (step is Step.grade and user.role != Role.student) or not user.registered:
        raise Refused()
    await ask(turn, turn.services.registration.restart(user, step))


@handles
async def language(turn: Turn) -> None:
    await turn.reply(turn.t("language.ask"), keyboards.languages(turn.t))


@handles
async def choose_language(turn: Turn) -> None:
    user, query = turn.user, turn.query
    assert user is not None and query is not None
    fields = parse_data(query.data, "lang", 1)
    if fields == ["menu"]:
        await turn.reply(turn.t("language.ask"), keyboards.languages(turn.t))
        return
    if fields is None or fields[0] not in LANGUAGES:
        raise Refused()
    user.language = turn.lang = fields[0]
    await turn.show(turn.t("language.set"), keyboards.main_menu(turn.t))


@handles
async def deleteme(turn: Turn) -> None:
    await turn.reply(turn.t("delete.ask"), keyboards.confirm_delete(turn.t))


@handles
async def confirm_delete(turn: Turn) -> None:
    user, query = turn.user, turn.query
    assert user is not None and query is not None
    fields = parse_data(query.data, "del", 1)
    if fields == ["ask"]:
        await turn.reply(turn.t("delete.ask"), keyboards.confirm_delete(turn.t))
    elif fields == ["yes"]:
        text = turn.t("delete.done")
        await turn.services.registration.erase(turn.session, user.id)
        turn.user = None
        await turn.show(text)
    elif fields == ["no"]:
        await turn.show(turn.t("delete.cancelled"))
    else:
        raise Refused()


HANDLERS = [
    CommandHandler("profile", profile, filters=PRIVATE),
    CommandHandler("language", language, filters=PRIVATE),
    CommandHandler("deleteme", deleteme, filters=PRIVATE),
    CallbackQueryHandler(change, pattern=r"^prof:"),
    CallbackQueryHandler(choose_language, pattern=r"^lang:"),
    CallbackQueryHandler(confirm_delete, pattern=r"^del:"),
]

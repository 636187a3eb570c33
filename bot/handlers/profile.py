"""/profile, /language and /deleteme: a user's own data, shown, changed or erased."""

from __future__ import annotations

import asyncio

from telegram.ext import CallbackQueryHandler

from bot import callbacks, keyboards
from bot.callbacks import ChangeProfile, Erase, KeepProfile, Language
from bot.domain import Role
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import ask, require_registration
from bot.i18n import LANGUAGES
from bot.keyboards import profile as profile_keyboards
from bot.services.errors import Refused
from bot.services.registration import Step
from bot.views.membership import membership_line
from bot.views.profile import profile_summary


@handles
async def profile(turn: Turn) -> None:
    # "profile" is no feature to continue with: registration ends with the same summary and the menu
    if await require_registration(turn, then="profile"):
        await show_profile(turn)


async def show_profile(turn: Turn) -> None:
    user = turn.me
    markup = profile_keyboards.profile(turn.t, turn.services.registration.changeable(user))
    found = await turn.services.membership.membership(turn.session, user)
    lines = [turn.t("profile.title"), profile_summary(turn, user)]
    if user.role in (Role.student, Role.staff):
        lines.append(membership_line(turn, found, staff=user.role == Role.staff))
    lines.append(turn.t("profile.id", id=user.id))
    await turn.reply("\n".join(lines), markup)


@handles
async def myid(turn: Turn) -> None:
    """/myid: the user's Telegram id, for an admin to grant them rights; a pupil, who holds none, is told
    only the id (a pupils' pass: it had told children to send it to an admin for rights)."""
    pupil = turn.user is not None and turn.user.role is Role.student
    await turn.reply(turn.t("profile.id" if pupil else "profile.myid", id=turn.user_id))


@handles
async def change(turn: Turn) -> None:
    user, registration = turn.me, turn.services.registration
    match callbacks.parse(turn.data):
        case ChangeProfile(what) if user.registered and what in {
            s.value for s in registration.changeable(user)
        }:
            await ask(turn, registration.change(user, Step(what)))
        case KeepProfile() if registration.keep_previous(user):
            await turn.show(turn.t("reg.change_cancelled"))
            turn.in_place = False
            await show_profile(turn)
        case _:
            raise Refused()


@handles
async def language(turn: Turn) -> None:
    """/language shows the chooser; `/language zh|en` sets it at once."""
    wanted = turn.args()[:1]
    if wanted and wanted[0] in LANGUAGES:
        await _set_language(turn, wanted[0])
        return
    await turn.reply(turn.t("language.ask"), profile_keyboards.languages())


async def _set_language(turn: Turn, language: str) -> None:
    turn.me.language = turn.lang = language
    await turn.show(turn.t("language.set"), keyboards.main_menu(turn.t))


@handles
async def choose_language(turn: Turn) -> None:
    match callbacks.parse(turn.data):
        case Language("menu"):
            await turn.reply(turn.t("language.ask"), profile_keyboards.languages())
        case Language(code) if code in LANGUAGES:
            await _set_language(turn, code)
        case _:
            raise Refused()


@handles
async def deleteme(turn: Turn) -> None:
    await turn.reply(turn.t("delete.ask"), profile_keyboards.confirm_erase(turn.t))


@handles
async def confirm_delete(turn: Turn) -> None:
    match callbacks.parse(turn.data):
        case Erase("ask"):
            await turn.reply(turn.t("delete.ask"), profile_keyboards.confirm_erase(turn.t))
        case Erase("yes"):
            text = turn.t("delete.done")
            await turn.services.quiz.keep_spent(turn.session, turn.me.id)
            posts = await turn.services.registration.erase(turn.session, turn.me.id)
            await turn.services.access.forget(turn.session, turn.me.id)
            turn.user = None
            await turn.show(text)
            curators = turn.services.settings.curator_chat_id
            if curators is not None and posts:  # their questions, as posted in the curators' group
                bot = turn.context.bot
                turn.later(lambda: asyncio.gather(*(bot.delete_message(curators, post) for post in posts)))
            turn.later(turn.services.match_learned)  # a wording curators took from their question goes
        case Erase("no"):
            await turn.show(turn.t("delete.cancelled"))
        case _:
            raise Refused()


HANDLERS = [
    CallbackQueryHandler(change, pattern=callbacks.kinds(ChangeProfile, KeepProfile)),
    CallbackQueryHandler(choose_language, pattern=callbacks.kinds(Language)),
    CallbackQueryHandler(confirm_delete, pattern=callbacks.kinds(Erase)),
]

"""Registration: role → school (by 镇街, paged, or by typing part of the name) → grade → class, or for
staff their department (where the school lists departments; 不填 skips it)."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import BrowseTowns, PickClass, PickDepartment, PickGrade, PickRole, PickSchool, PickTown
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import ask
from bot.keyboards import registration as keyboards
from bot.services.errors import Refused
from bot.services.registration import Step


@handles
async def on_registration_button(turn: Turn) -> None:
    user, registration = turn.me, turn.services.registration
    match callbacks.parse(turn.data):
        case PickRole(role):
            await ask(turn, registration.choose_role(user, role))
        case PickSchool(school):
            await ask(turn, registration.choose_school(user, school))
        case PickGrade(grade):
            await ask(turn, registration.choose_grade(user, grade))
        case PickClass(class_no):
            await ask(turn, registration.choose_class(user, class_no))
        case PickDepartment(school, choice):
            await ask(turn, registration.choose_department(user, school, choice))
        case PickTown(town_id, page):
            town, schools = registration.town_schools(user, town_id)
            await turn.show(
                turn.t("reg.pick_school", town=town.name), keyboards.schools_page(turn.t, town, schools, page)
            )
        case BrowseTowns() if registration.next_step(user) is Step.school:
            await ask(turn, Step.school)
        case _:
            raise Refused()


async def on_school_search(turn: Turn, text: str) -> None:
    """Typed text while the school question is open: offer the best-matching schools."""
    found = turn.services.registration.search(turn.me, text)
    if not found:
        await turn.reply(
            turn.t("reg.search_none"), keyboards.towns(turn.t, turn.services.content.district.towns)
        )
        return
    await turn.reply(turn.t("reg.search_results"), keyboards.school_results(turn.t, found))


HANDLERS = [
    CallbackQueryHandler(
        on_registration_button,
        pattern=callbacks.kinds(
            PickRole, PickSchool, PickGrade, PickClass, PickDepartment, PickTown, BrowseTowns
        ),
    )
]
AWAITING = {"school_search": on_school_search}

"""Registration: role → school (by 镇街, paged, or by typing part of the name) → grade → class, or for
staff their department (where the school lists departments; 不填 skips it)."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import (
    BrowseTowns,
    PickClass,
    PickDepartment,
    PickGrade,
    PickRole,
    PickSchool,
    PickTown,
    RoleAgain,
)
from bot.chinese import simplified
from bot.handlers.awaiting import as_question, cancels, done
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import ask
from bot.keyboards import registration as keyboards
from bot.parsing import choice_named
from bot.services.errors import Refused
from bot.services.registration import Step
from bot.views.labels import grade_label


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
        case RoleAgain():
            await ask(turn, registration.restart(user, Step.role))
        case _:
            raise Refused()


async def left(turn: Turn, text: str) -> bool:
    """取消 (or 算了 …) typed at a registration question: a change in /profile is given up, the answers before
    it kept, as 取消修改 does; a first registration stops, to go on with /profile. (A pupils' pass: 取消 was
    searched as a school's name, again and again.) Whether it was."""
    if not cancels(text):
        return False
    if turn.services.registration.keep_previous(turn.me):
        await turn.reply(turn.t("reg.change_cancelled"))
    else:
        done(turn.me)
        await turn.reply(turn.t("reg.stopped"))
    return True


async def on_school_search(turn: Turn, text: str) -> None:
    """Typed text while the school question is open: offer the best-matching schools; with none, the
    question again, with its buttons (by 镇街, the role again, 取消修改)."""
    if await left(turn, text):
        return
    found = turn.services.registration.search(turn.me, text)
    if not found:
        await ask(turn, Step.school, intro=turn.t("reg.search_none", query="".join(text.split())[:MAX_NAMED]))
        return
    await turn.reply(turn.t("reg.search_results"), keyboards.school_results(turn.t, found))


async def on_grade_typed(turn: Turn, text: str) -> None:
    """A grade typed instead of pressed (三年级, 3年级, 初一, Grade 3): taken as its button; anything else
    asks again, with the buttons."""
    if await left(turn, text):
        return
    text = simplified(text)  # 五年級
    school = turn.services.content.district.school(turn.me.school_id)
    # the class with it (五年级一班, 5年1班, 5.1: a pupils' pass had been asked for the grade again)
    if school is not None and (both := school.class_named(text)) is not None:
        turn.services.registration.choose_grade(turn.me, both[0])
        await ask(turn, turn.services.registration.choose_class(turn.me, both[1]))
        return
    labels = {g: grade_label(turn.t, g, school.kind) for g in school.grade_list} if school else {}
    grade = choice_named(text, labels)
    if grade is None:
        await not_picked(turn, text, Step.grade)
        return
    await ask(turn, turn.services.registration.choose_grade(turn.me, grade))


async def on_class_typed(turn: Turn, text: str) -> None:
    """A class typed instead of pressed (3班, 3, 三班)."""
    if await left(turn, text):
        return
    school = turn.services.content.district.school(turn.me.school_id)
    numbers = turn.services.registration.classes(school) if school else range(0)
    class_no = choice_named(text, {n: turn.t("reg.class_n", n=n) for n in numbers})
    if class_no is None:
        await not_picked(turn, text, Step.class_)
        return
    await ask(turn, turn.services.registration.choose_class(turn.me, class_no))


async def not_picked(turn: Turn, text: str, step: Step) -> None:
    """Text that names no grade or class: a short one is asked again, with the buttons; a longer one is
    a question (孩子几岁上小学, typed by someone who left registration half done) and is answered."""
    if len(text.strip()) > SHORT:
        await as_question(turn, text)
    else:
        await ask(turn, step, intro=turn.t("reg.press_button"))


MAX_NAMED = 20  # of a school's name typed, as much is said back when no school has it
SHORT = 6  # an unmatched text this short is a mistyped grade or class, asked again; a longer one, a question
HANDLERS = [
    CallbackQueryHandler(
        on_registration_button,
        pattern=callbacks.kinds(
            PickRole, PickSchool, PickGrade, PickClass, PickDepartment, PickTown, BrowseTowns, RoleAgain
        ),
    )
]
AWAITING = {"school_search": on_school_search, "reg_grade": on_grade_typed, "reg_class": on_class_typed}

"""Registration: role → school (by 镇街, paged, or by typing part of the name) → grade → class."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import keyboards
from bot.handlers.base import Turn, handles
from bot.keyboards import parse_data, parse_int
from bot.services.errors import Refused
from bot.services.registration import SELECTABLE_ROLES, Step
from bot.views.profile import profile_summary


async def ask(turn: Turn, step: Step, intro: str | None = None) -> None:
    """Show the question for `step` (editing the pressed message when there is one)."""
    t, user = turn.t, turn.user
    assert user is not None
    district = turn.services.content.district
    school = district.school(user.school_id)
    prefix = f"{intro}\n\n" if intro else ""
    if step is Step.role:
        await turn.show(prefix + t("reg.ask_role"), keyboards.roles(t, [r.value for r in SELECTABLE_ROLES]))
    elif step is Step.school:
        await turn.show(prefix + t("reg.ask_school"), keyboards.towns(t, district.towns))
    elif step is Step.grade and school is not None:
        await turn.show(prefix + t("reg.ask_grade", school=school.name), keyboards.grades(t, school))
    elif step is Step.class_ and school is not None:
        await turn.show(
            prefix + t("reg.ask_class"), keyboards.classes(t, turn.services.registration.classes(school))
        )
    else:
        await _done(turn)


async def _done(turn: Turn) -> None:
    """Registration is complete: go on with the feature that asked for it, else show the main menu."""
    user = turn.user
    assert user is not None
    then, user.resume_after = user.resume_after, None
    resume = turn.context.bot_data["resume_after_registration"].get(then)
    summary = turn.t("reg.done", summary=profile_summary(turn, user))
    if resume is None:
        await turn.show(summary, keyboards.main_menu(turn.t))
        return
    await turn.show(summary)
    turn.in_place = False  # what the feature shows comes below the summary, not over it
    await resume(turn)


async def require_registration(turn: Turn, *, then: str) -> bool:
    """True when the user is registered; otherwise start (or resume) registration and return False.
    `then` names the feature to continue with once registration is done (see RESUME in bot/app.py)."""
    user = turn.user
    assert user is not None
    if user.registered:
        return True
    user.resume_after = then
    step = turn.services.registration.next_step(user)
    if step is Step.done:  # answers complete but never confirmed (e.g. content changed): confirm now
        turn.services.registration.restart(user, Step.grade)
        step = turn.services.registration.next_step(user)
    if step is Step.school:
        user.awaiting = "school_search"
    await ask(turn, step, intro=turn.t("reg.needed"))
    return False


@handles
async def on_registration_button(turn: Turn) -> None:
    query, user, registration = turn.query, turn.user, turn.services.registration
    assert query is not None and user is not None
    data = query.data or ""
    if (fields := parse_data(data, "reg:role", 1)) is not None:
        step = registration.choose_role(user, fields[0])
    elif (fields := parse_data(data, "reg:school", 1)) is not None:
        step = registration.choose_school(user, fields[0])
    elif (fields := parse_data(data, "reg:grade", 1)) is not None:
        step = registration.choose_grade(user, parse_int(fields[0], 1, 12) or 0)
    elif (fields := parse_data(data, "reg:class", 1)) is not None:
        step = registration.choose_class(user, parse_int(fields[0], 1, 99) or 0)
    elif (fields := parse_data(data, "reg:town", 2)) is not None:
        await _show_town(turn, fields[0], parse_int(fields[1], 0, 99))
        return
    elif parse_data(data, "reg:towns", 1) is not None:
        if registration.next_step(user) is not Step.school:
            raise Refused()
        await ask(turn, Step.school)
        return
    else:
        raise Refused()
    await ask(turn, step)


async def _show_town(turn: Turn, town_id: str, page: int | None) -> None:
    user = turn.user
    assert user is not None
    registration = turn.services.registration
    town = next((t for t in turn.services.content.district.towns if t.id == town_id), None)
    if town is None or page is None or registration.next_step(user) is not Step.school:
        raise Refused()
    allowed = {s.id for s in registration.schools_for(user)}
    schools = [s for s in town.schools if s.id in allowed]
    await turn.show(
        turn.t("reg.pick_school", town=town.name), keyboards.schools_page(turn.t, town, schools, page)
    )


async def on_school_search(turn: Turn, text: str) -> None:
    """Typed text while the school question is open: offer the best-matching schools."""
    user = turn.user
    assert user is not None
    found = turn.services.registration.search(user, text)
    if not found:
        await turn.reply(
            turn.t("reg.search_none"), keyboards.towns(turn.t, turn.services.content.district.towns)
        )
        return
    await turn.reply(turn.t("reg.search_results"), keyboards.school_results(turn.t, found))


HANDLERS = [CallbackQueryHandler(on_registration_button, pattern=r"^reg:")]

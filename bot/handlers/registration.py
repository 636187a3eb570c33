"""Registration: role → school (by 镇街, paged, or by typing part of the name) → grade → class."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import keyboards
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import ask
from bot.keyboards import parse_data, parse_int
from bot.services.errors import Refused
from bot.services.registration import Step


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
AWAITING = {"school_search": on_school_search}

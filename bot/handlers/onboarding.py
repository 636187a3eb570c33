"""Shared by every area: features opened by name, and the registration they may need first.

An area names its entry points in `FEATURES` (e.g. {"quiz": Feature(show_menu)}); bot/app.py gathers them
into `bot_data`. The main menu opens a feature by name, and a feature that needs registration starts it
with `require_registration(turn, then=name)`: once the last question is answered, the feature named
`then` continues (users.resume_after keeps the name across restarts). So no area imports another."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot import keyboards
from bot.domain import Role
from bot.handlers.awaiting import expect
from bot.handlers.base import Turn
from bot.keyboards import registration as questions
from bot.services.registration import SELECTABLE_ROLES, TYPED, Step
from bot.views.profile import profile_summary

FEATURES = "features"  # bot_data key: name -> Feature
# bot_data key: deep-link kind -> opener. An area lists the links it opens in `DEEP_LINKS` ({"j": opener});
# `t.me/<bot>?start=<kind>_<code>` then reaches `opener(turn, code)` through /start.
DEEP_LINKS = "deep_links"
DeepLink = Callable[[Turn, str], Awaitable[None]]


@dataclass(frozen=True)
class Feature:
    show: Callable[[Turn], Awaitable[None]]
    needs_registration: bool = True


def features(turn: Turn) -> Mapping[str, Feature]:
    registry: Mapping[str, Feature] = turn.context.bot_data[FEATURES]
    return registry


def deep_links(turn: Turn) -> Mapping[str, DeepLink]:
    registry: Mapping[str, DeepLink] = turn.context.bot_data[DEEP_LINKS]
    return registry


async def open_feature(turn: Turn, name: str) -> None:
    """Show feature `name`, after registration where it needs it; a name nobody registered is a stale
    (or forged) button."""
    feature = features(turn).get(name)
    if feature is None:
        await turn.alert(turn.t("error.stale_button"))
    elif not feature.needs_registration or await require_registration(turn, then=name):
        await feature.show(turn)


async def require_registration(turn: Turn, *, then: str) -> bool:
    """True when the user is registered; otherwise start (or resume) registration and return False.
    `then` names the feature (in FEATURES) to continue with once registration is done."""
    user = turn.me
    if user.registered:
        return True
    if turn.services.registration.keep_previous(user):  # a change in /profile left unfinished
        await turn.reply(turn.t("reg.change_dropped"))
        return True
    user.resume_after = then
    step = turn.services.registration.next_step(user)
    begun = step is not Step.role  # a role was chosen: carry on where they left, not "please register"
    if step is Step.done:  # answers complete but never confirmed (e.g. content changed): confirm now
        # staff: their department asked again where the school lists some (/profile sent at that question
        # had registered them without one)
        again = Step.department if user.role is Role.staff else Step.grade
        step = turn.services.registration.restart(user, again)
    if (kind := TYPED.get(step)) is not None:
        expect(user, kind)
    await ask(turn, step, intro=turn.t("reg.unfinished" if begun else "reg.needed"))
    return False


async def ask(turn: Turn, step: Step, intro: str | None = None) -> None:
    """Show the question for `step` (editing the pressed message when there is one)."""
    t, user = turn.t, turn.me
    district = turn.services.content.district
    school = district.school(user.school_id)
    prefix = f"{intro}\n\n" if intro else ""
    again = functools.partial(questions.with_role_again, t)  # a wrong role is no dead end
    if step is Step.role:
        text, markup = t("reg.ask_role"), questions.roles(t, [r.value for r in SELECTABLE_ROLES])
    elif step is Step.school:
        text, markup = t("reg.ask_school"), again(questions.towns(t, district.towns))
    elif step is Step.grade and school is not None:
        text, markup = t("reg.ask_grade", school=school.name), again(questions.grades(t, school))
    elif step is Step.class_ and school is not None:
        classes = questions.classes(t, turn.services.registration.classes(school))
        text, markup = t("reg.ask_class"), again(classes)
    elif step is Step.department and school is not None:
        text, markup = t("reg.ask_department", school=school.name), questions.departments(t, school)
    else:
        await _done(turn)
        return
    if user.profile_before:  # a change in /profile: it may be given up, the answers before it kept
        markup = questions.with_keep_profile(t, markup)
    await turn.show(prefix + text, markup)


async def _done(turn: Turn) -> None:
    """Registration is complete: go on with the feature that asked for it, else show the main menu."""
    user = turn.me
    then, user.resume_after = user.resume_after, None
    feature = features(turn).get(then or "")
    summary = turn.t("reg.done", summary=profile_summary(turn, user))
    if feature is None:
        await turn.show(summary, keyboards.main_menu(turn.t))
        return
    await turn.show(summary)
    turn.in_place = False  # what the feature shows comes below the summary, not over it
    await feature.show(turn)

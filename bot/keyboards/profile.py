"""Profile: change role, school, class or department; language; erasing one's data."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import ChangeProfile, Erase, Language
from bot.keyboards import T, button
from bot.services.registration import Step

CHANGE_LABELS = {Step.role: "profile.change_role", Step.school: "profile.change_school",
                 Step.grade: "profile.change_class", Step.department: "profile.change_department"}  # fmt: skip


def profile(t: T, changes: Sequence[Step]) -> Markup:
    """A button for each of `changes` (Registration.changeable), then language and erasing."""
    keyboard = [[button(t(CHANGE_LABELS[step]), ChangeProfile(step.value))] for step in changes]
    keyboard.append(
        [button(t("profile.language"), Language("menu")), button(t("profile.delete"), Erase("ask"))]
    )
    return Markup(keyboard)


def languages() -> Markup:
    return Markup([[button("中文", Language("zh")), button("English", Language("en"))]])


def confirm_erase(t: T) -> Markup:
    return Markup([[button(t("delete.confirm"), Erase("yes")), button(t("delete.cancel"), Erase("no"))]])

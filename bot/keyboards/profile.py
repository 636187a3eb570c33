"""Profile: change role, school, class or department; language; erasing one's data."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import ChangeProfile, Erase, Language
from bot.keyboards import T, button


def profile(t: T, *, has_school: bool, is_student: bool, has_departments: bool) -> Markup:
    keyboard = [[button(t("profile.change_role"), ChangeProfile("role"))]]
    if has_school:
        keyboard.append([button(t("profile.change_school"), ChangeProfile("school"))])
    if is_student:
        keyboard.append([button(t("profile.change_class"), ChangeProfile("grade"))])
    if has_departments:
        keyboard.append([button(t("profile.change_department"), ChangeProfile("department"))])
    keyboard.append(
        [button(t("profile.language"), Language("menu")), button(t("profile.delete"), Erase("ask"))]
    )
    return Markup(keyboard)


def languages() -> Markup:
    return Markup([[button("中文", Language("zh")), button("English", Language("en"))]])


def confirm_erase(t: T) -> Markup:
    return Markup([[button(t("delete.confirm"), Erase("yes")), button(t("delete.cancel"), Erase("no"))]])

"""Pure builders of inline keyboards. Callback data is namespaced ("reg:school:cg-p1") and short
(Telegram allows 64 bytes); handlers parse it with `parse_data` and treat it as untrusted input."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from bot.content.schools import SchoolKind, SchoolSpec, TownSpec

T = Callable[..., str]
PAGE_SIZE = 8


def parse_data(data: str | None, prefix: str, parts: int) -> list[str] | None:
    """Split "prefix:a:b" into ["a", "b"] when it has exactly `parts` fields, else None."""
    if not data or not data.startswith(prefix + ":") or len(data) > 64:
        return None
    fields = data[len(prefix) + 1 :].split(":")
    return fields if len(fields) == parts and all(fields) else None


def parse_int(value: str, low: int, high: int) -> int | None:
    return int(value) if value.isdigit() and low <= int(value) <= high else None


def rows(buttons: Sequence[Button], width: int) -> list[list[Button]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def single(label: str, data: str) -> Markup:
    return Markup([[Button(label, callback_data=data)]])


def main_menu(t: T) -> Markup:
    return Markup(
        [
            [
                Button(t("menu.quiz"), callback_data="menu:quiz"),
                Button(t("menu.faq"), callback_data="menu:faq"),
            ],
            [
                Button(t("menu.scores"), callback_data="menu:scores"),
                Button(t("menu.help"), callback_data="menu:help"),
            ],
        ]
    )


def roles(t: T, choices: Sequence[str]) -> Markup:
    return Markup([[Button(t(f"role.{r}"), callback_data=f"reg:role:{r}")] for r in choices])


def towns(t: T, items: Sequence[TownSpec]) -> Markup:
    buttons = [Button(town.name, callback_data=f"reg:town:{town.id}:0") for town in items]
    return Markup(rows(buttons, 2))


def paged(
    t: T, buttons: Sequence[Button], page: int, page_data: Callable[[int], str], back: Button
) -> Markup:
    """One button a row, PAGE_SIZE to a page, « » to move between pages, and a way back."""
    pages = max(1, -(-len(buttons) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    keyboard = [[b] for b in buttons[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    nav = []
    if page > 0:
        nav.append(Button(t("nav.prev"), callback_data=page_data(page - 1)))
    if page < pages - 1:
        nav.append(Button(t("nav.next"), callback_data=page_data(page + 1)))
    if nav:
        keyboard.append(nav)
    keyboard.append([back])
    return Markup(keyboard)


def schools_page(t: T, town: TownSpec, schools: Sequence[SchoolSpec], page: int) -> Markup:
    buttons = [Button(s.name, callback_data=f"reg:school:{s.id}") for s in schools]
    back = Button(t("reg.back_to_towns"), callback_data="reg:towns:0")
    return paged(t, buttons, page, lambda n: f"reg:town:{town.id}:{n}", back)


def school_results(t: T, schools: Sequence[SchoolSpec]) -> Markup:
    keyboard = [[Button(s.name, callback_data=f"reg:school:{s.id}")] for s in schools]
    keyboard.append([Button(t("reg.browse_towns"), callback_data="reg:towns:0")])
    return Markup(keyboard)


def grade_label(t: T, grade: int, kind: SchoolKind | None) -> str:
    if kind is SchoolKind.vocational and grade >= 10:
        return t(f"grade.v{grade - 9}")
    return t(f"grade.g{grade}")


def grades(t: T, school: SchoolSpec) -> Markup:
    buttons = [
        Button(grade_label(t, g, school.kind), callback_data=f"reg:grade:{g}") for g in school.grade_list
    ]
    return Markup(rows(buttons, 3))


def classes(t: T, numbers: range) -> Markup:
    buttons = [Button(t("reg.class_n", n=n), callback_data=f"reg:class:{n}") for n in numbers]
    return Markup(rows(buttons, 4))


def profile(t: T, is_student: bool) -> Markup:
    keyboard = [[Button(t("profile.change_role"), callback_data="prof:change:role")]]
    keyboard.append([Button(t("profile.change_school"), callback_data="prof:change:school")])
    if is_student:
        keyboard.append([Button(t("profile.change_class"), callback_data="prof:change:grade")])
    keyboard.append(
        [
            Button(t("profile.language"), callback_data="lang:menu"),
            Button(t("profile.delete"), callback_data="del:ask"),
        ]
    )
    return Markup(keyboard)


def languages(t: T) -> Markup:
    return Markup([[Button("中文", callback_data="lang:zh"), Button("English", callback_data="lang:en")]])


def confirm_delete(t: T) -> Markup:
    return Markup(
        [
            [
                Button(t("delete.confirm"), callback_data="del:yes"),
                Button(t("delete.cancel"), callback_data="del:no"),
            ]
        ]
    )


def open_private(t: T, bot_username: str) -> Markup:
    return Markup([[Button(t("group.open_private"), url=f"https://t.me/{bot_username}?start=group")]])

"""Registration: role, 镇街 and school (paged, or found by name), grade, class; a staff department."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import (
    BrowseTowns,
    KeepProfile,
    PickClass,
    PickDepartment,
    PickGrade,
    PickRole,
    PickSchool,
    PickTown,
    RoleAgain,
)
from bot.content.schools import SchoolSpec, TownSpec
from bot.keyboards import Button, T, button, paged, rows
from bot.views.labels import grade_label


def roles(t: T, choices: Sequence[str]) -> Markup:
    return Markup([[button(t(f"role.{r}"), PickRole(r))] for r in choices])


def towns(t: T, items: Sequence[TownSpec]) -> Markup:
    return Markup(rows([button(town.name, PickTown(town.id, 0)) for town in items], 2))


def schools_page(t: T, town: TownSpec, schools: Sequence[SchoolSpec], page: int) -> Markup:
    buttons = [button(s.name, PickSchool(s.id)) for s in schools]
    back = button(t("reg.back_to_towns"), BrowseTowns(0))
    return paged(t, buttons, page, lambda n: PickTown(town.id, n), back)


def school_results(t: T, schools: Sequence[SchoolSpec]) -> Markup:
    keyboard = [[button(s.name, PickSchool(s.id))] for s in schools]
    keyboard.append([button(t("reg.browse_towns"), BrowseTowns(0))])
    return Markup(keyboard)


def grades(t: T, school: SchoolSpec) -> Markup:
    return Markup(rows([button(grade_label(t, g, school.kind), PickGrade(g)) for g in school.grade_list], 3))


def classes(t: T, numbers: range) -> Markup:
    return Markup(rows([button(t("reg.class_n", n=n), PickClass(n)) for n in numbers], 4))


def with_role_again(t: T, markup: Markup) -> Markup:
    """`markup` and, below it, a way back to the role question (a wrong role is otherwise a dead end)."""
    return _below(markup, button(t("reg.role_again"), RoleAgain()))


def with_keep_profile(t: T, markup: Markup) -> Markup:
    """`markup` and, below it, 取消修改: a change begun in /profile given up, the answers before it kept."""
    return _below(markup, button(t("reg.keep_profile"), KeepProfile()))


def _below(markup: Markup, extra: Button) -> Markup:
    return Markup([*markup.inline_keyboard, [extra]])


def departments(t: T, school: SchoolSpec) -> Markup:
    """The school's departments, numbered from 1 as `PickDepartment` reads them, and 不填 (0)."""
    keyboard = rows(
        [button(name, PickDepartment(school.id, n)) for n, name in enumerate(school.departments, 1)], 3
    )
    keyboard.append([button(t("reg.skip_department"), PickDepartment(school.id, 0))])
    return Markup(keyboard)

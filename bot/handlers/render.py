"""Small text renderers shared by several handler areas."""

from __future__ import annotations

from bot.content.schools import District
from bot.db.models import Role, User
from bot.handlers.base import Turn
from bot.keyboards import grade_label


def profile_summary(turn: Turn, user: User) -> str:
    t = turn.t
    district: District = turn.services.content.district
    lines = [t("profile.role", role=t(f"role.{user.role.value}") if user.role else t("profile.unset"))]
    school = district.school(user.school_id)
    if school is not None:
        town = district.town_of[school.id]
        lines.append(t("profile.school", school=school.name, town=town.name))
        if user.role == Role.student and user.grade is not None:
            lines.append(
                t("profile.class", grade=grade_label(t, user.grade, school.kind), n=user.class_no or "-")
            )
    lines.append(t("profile.language_line", language=t(f"language.{user.language}")))
    return "\n".join(lines)

"""Profile: what the bot knows of a user (role, school, class or department, language), as they see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.content.schools import District
from bot.domain import Role
from bot.views import Voice
from bot.views.labels import class_label

if TYPE_CHECKING:
    from bot.db.models import User


def profile_summary(turn: Voice, user: User) -> str:
    t = turn.t
    district: District = turn.services.content.district
    lines = [t("profile.role", role=t(f"role.{user.role.value}") if user.role else t("profile.unset"))]
    school = district.school(user.school_id)
    if school is not None:
        town = district.town_of[school.id]
        lines.append(t("profile.school", school=school.name, town=town.name))
        if user.role == Role.student and user.grade is not None:
            lines.append(t("profile.class", label=class_label(t, user.grade, user.class_no, school.kind)))
        if user.role == Role.staff and user.department:
            lines.append(t("profile.department", department=user.department))
    lines.append(t("profile.language_line", language=t(f"language.{user.language}")))
    return "\n".join(lines)

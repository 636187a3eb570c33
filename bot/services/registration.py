"""Registration: role → school → grade → class (staff: their department, where the school lists
departments, which they may skip), asked only when a feature needs it.

Every value arrives from a button or typed text and is checked here against the district, so a forged
callback cannot register a user in a school, class or department that does not exist.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schools import District, SchoolSpec, TownSpec
from bot.db import users
from bot.db.models import User, utcnow
from bot.db.session import Database
from bot.domain import Role
from bot.services.errors import Refused

SELECTABLE_ROLES = (Role.student, Role.staff, Role.parent)


class Step(StrEnum):
    role = "role"
    school = "school"
    grade = "grade"
    class_ = "class"
    department = "department"  # staff, once: optional, so answers are complete without it
    done = "done"


# What a question's typed answer is read as (the handlers' AWAITING kinds): a school's name is searched; a
# grade or class typed instead of pressed (三年级, 3班) is taken as its button.
TYPED = {Step.school: "school_search", Step.grade: "reg_grade", Step.class_: "reg_class"}


class Registration:
    def __init__(self, district: District) -> None:
        self.district = district

    async def touch(self, session: AsyncSession, user_id: int, language: str) -> User:
        """The user's row, created on first contact (in `language`, their Telegram app's), last-seen kept."""
        return await users.touch_user(session, user_id=user_id, language=language)

    async def erase(self, session: AsyncSession, user_id: int) -> list[int]:
        """/deleteme: the user's row and everything that hangs off it; the ids of the curators' group
        posts of their questions, which the caller deletes there."""
        return await users.erase_user(session, user_id=user_id)

    async def languages(self, session: AsyncSession, user_ids: set[int]) -> dict[int, str]:
        """The chosen language of each of these users (jobs that write to many)."""
        return await users.user_languages(session, user_ids=user_ids)

    async def languages_of(self, db: Database, user_ids: set[int]) -> dict[int, str]:
        """As `languages`, in a transaction of its own (jobs, outside any update)."""
        async with db.transaction() as session:
            return await users.user_languages(session, user_ids=user_ids)

    def next_step(self, user: User) -> Step:
        if user.role is None:
            return Step.role
        if user.role == Role.parent:
            return Step.done
        school = self.district.school(user.school_id)
        if school is None:
            return Step.school
        if user.role != Role.student:
            return Step.done
        if user.grade is None or user.grade not in school.grade_list:
            return Step.grade
        if user.class_no is None or not 1 <= user.class_no <= max(school.classes, 1):
            return Step.class_
        return Step.done

    def _advance(self, user: User, *, department: bool = False) -> Step:
        """The next question, registered when there is none. `department`: the answers just given open
        the staff department question, where the school lists departments (it is asked once, right
        after the school, and not again: it is optional, so the answers are complete without it)."""
        step = self.next_step(user)
        if department and step is Step.done and self.departments(user):
            step = Step.department
        user.registered_at = utcnow() if step is Step.done else None
        if step is Step.done:
            user.profile_before = None
        user.awaiting = TYPED.get(step)
        return step

    def change(self, user: User, at: Step) -> Step:
        """/profile's change of one answer: asked again from `at` on, the answers before kept aside (once:
        a change begun anew keeps the first ones) and put back by `keep_previous` if it is left unfinished."""
        if user.registered_at is not None:
            user.profile_before = json.dumps(
                {"role": user.role.value if user.role else None, "school": user.school_id, "grade": user.grade,
                 "class": user.class_no, "department": user.department, "at": user.registered_at.isoformat()},
                ensure_ascii=False,
            )  # fmt: skip
        return self.restart(user, at)

    def keep_previous(self, user: User) -> bool:
        """An unfinished change given up (取消, or another feature asked for): the answers before it put back,
        registered as they were; whether there were any."""
        if user.registered or not user.profile_before:
            return False
        before = json.loads(user.profile_before)
        user.role = Role(before["role"]) if before["role"] else None
        user.school_id, user.grade, user.class_no = before["school"], before["grade"], before["class"]
        user.department = before["department"]
        user.profile_before = None
        self._advance(user)
        if user.registered:
            user.registered_at = datetime.fromisoformat(before["at"])
        return user.registered

    def restart(self, user: User, at: Step = Step.role) -> Step:
        """Forget answers from step `at` on (for /profile changes) and ask again from there."""
        if at is Step.role:
            user.role = None
        if at in (Step.role, Step.school):
            user.school_id = None
        if at in (Step.role, Step.school, Step.grade):
            user.grade = user.class_no = None
        if at in (Step.role, Step.school, Step.department):
            user.department = None
        return self._advance(user, department=at is Step.department)

    def place(self, user: User, role: Role, school_id: str, grade: int | None, class_no: int | None) -> Step:
        """Put the user where a join link says (bot/services/membership.py), without their choosing; a
        staff member's department stays if the school does."""
        if (user.role, user.school_id) != (role, school_id):
            user.department = None
        user.role, user.school_id, user.grade, user.class_no = role, school_id, grade, class_no
        return self._advance(user)

    def choose_role(self, user: User, value: str) -> Step:
        if value not in {r.value for r in SELECTABLE_ROLES}:
            raise Refused()
        user.role = Role(value)
        user.school_id = user.grade = user.class_no = user.department = None
        return self._advance(user)

    def choose_school(self, user: User, school_id: str) -> Step:
        school = self.district.school(school_id)
        if school is None or user.role in (None, Role.parent) or school not in self.schools_for(user):
            raise Refused()
        user.school_id = school.id
        user.grade = user.class_no = user.department = None
        return self._advance(user, department=True)

    def choose_department(self, user: User, school_id: str, choice: int) -> Step:
        """A staff member's department: `choice` 1… is the school's n-th listed department, 0 none (不填).
        The button names the school it was offered for: one pressed after the school changed is refused."""
        offered = self.departments(user)
        if not offered or school_id != user.school_id or not 0 <= choice <= len(offered):
            raise Refused()
        user.department = offered[choice - 1] if choice else None
        return self._advance(user)

    def missing_department(self, user: User) -> bool:
        """A staff member of a school that lists departments, with none: registration asks right after the
        school, a join link places them without it (membership then asks once the 工号 is given or
        skipped). One who chose 不填 is asked again when they next open a school's link."""
        return user.role == Role.staff and user.department is None and bool(self.departments(user))

    def changeable(self, user: User) -> tuple[Step, ...]:
        """What a registered user may change in /profile: their role; their school (not parents); their
        class (students); their department (staff of a school that lists departments)."""
        steps = [Step.role]
        if user.role != Role.parent:
            steps.append(Step.school)
        if user.role == Role.student:
            steps.append(Step.grade)
        if self.departments(user):
            steps.append(Step.department)
        return tuple(steps)

    def departments(self, user: User) -> tuple[str, ...]:
        """The departments a user may choose: those of their school, for staff."""
        school = self.district.school(user.school_id)
        return school.departments if school is not None and user.role == Role.staff else ()

    def choose_grade(self, user: User, grade: int) -> Step:
        school = self.district.school(user.school_id)
        if user.role != Role.student or school is None or grade not in school.grade_list:
            raise Refused()
        user.grade, user.class_no = grade, None
        return self._advance(user)

    def choose_class(self, user: User, class_no: int) -> Step:
        school = self.district.school(user.school_id)
        if (
            user.role != Role.student
            or school is None
            or user.grade is None
            or class_no not in self.classes(school)
        ):
            raise Refused()
        user.class_no = class_no
        return self._advance(user)

    def town_schools(self, user: User, town_id: str) -> tuple[TownSpec, list[SchoolSpec]]:
        """A 镇街 and its schools this user may choose, while the school question is open."""
        town = next((t for t in self.district.towns if t.id == town_id), None)
        if town is None or self.next_step(user) is not Step.school:
            raise Refused()
        allowed = {s.id for s in self.schools_for(user)}
        return town, [s for s in town.schools if s.id in allowed]

    def schools_for(self, user: User) -> list[SchoolSpec]:
        return self.district.for_role(user.role.value if user.role else "")

    @staticmethod
    def classes(school: SchoolSpec) -> range:
        return range(1, max(school.classes, 1) + 1)

    def search(self, user: User, query: str) -> list[SchoolSpec]:
        """Schools whose name best matches what the user typed (`District.closest`), among those they may
        pick."""
        return self.district.closest(query, self.schools_for(user))

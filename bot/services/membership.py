"""Verified class membership: join links a class teacher (or school admin) hands out, the pupils (or
staff) who open them, the number each gives once (学号; a staff member's 工号, optional), and the class's
roster of numbers to check them against. Least personal data: no names, only numbers, erased with the
user (/deleteme).

A link's code is random (secrets) and only its SHA-256 is stored; it expires and can be revoked. Joining
by link registers the user in that place without their choosing it; a place chosen by hand stays
possible but unverified (`bot.db.membership.is_verified`, for reports restricted to verified members)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schools import District, SchoolSpec
from bot.db import membership as db
from bot.db.models import JoinLink, User, VerifiedMember
from bot.domain import Role, Scope
from bot.services.access import named_school
from bot.services.errors import Refused
from bot.services.registration import Registration
from bot.services.roster import NUMBER as ROSTER_NUMBER
from bot.services.roster import parse_roster

LINK_DAYS = 30
NUMBER = re.compile(r"[0-9A-Za-z-]{1,20}")
JOIN_PREFIX = "j_"  # t.me/<bot>?start=j_<code>


def digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class Place:
    """A school (its staff: grade and class None) or one class of it."""

    school: SchoolSpec
    grade: int | None = None
    class_no: int | None = None

    @property
    def is_class(self) -> bool:
        return self.grade is not None

    @property
    def role(self) -> Role:
        """Who joins it: a class's pupils, a school's staff."""
        return Role.student if self.is_class else Role.staff


@dataclass(frozen=True)
class NewLink:
    code: str  # shown once, in the link; only its hash is kept
    place: Place
    expires_at: datetime


@dataclass(frozen=True)
class Membership:
    """Where a user belongs by link, their number if given, and whether it still holds."""

    place: Place
    number: str | None
    verified: bool


def place_in_scope(district: District, scope: Scope, args: list[str], usage: str = "join.usage") -> Place:
    """The place an admin names: `<school id>` (its staff) or `<school id> <grade>-<class>`; with no
    words, the one class (or school) their grant covers. Refused outside the grant, or for a class the
    school does not have."""
    if not args:
        if len(scope.classes) == 1 and not scope.schools and not scope.district:
            only = next(iter(scope.classes))
            args = [only[0], f"{only[1]}-{only[2]}"]
        elif len(scope.schools) == 1 and not scope.classes and not scope.district:
            args = [next(iter(scope.schools))]
        else:
            raise Refused(usage)
    if len(args) > 2:
        raise Refused(usage)
    school = named_school(district, args[0])
    if len(args) == 1:
        if not (scope.district or school.id in scope.schools):
            raise Refused("admin.not_in_scope")
        return Place(school)
    if (named := school.class_named(args[1])) is None:
        raise Refused("admin.no_such_class")
    grade, class_no = named
    if not (scope.district or school.id in scope.schools or (school.id, grade, class_no) in scope.classes):
        raise Refused("admin.not_in_scope")
    return Place(school, grade, class_no)


class MembershipService:
    def __init__(
        self,
        district: District,
        registration: Registration,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        link_days: int = LINK_DAYS,
    ) -> None:
        self.district = district
        self.registration = registration
        self.clock = clock
        self.link_days = link_days

    def place(self, scope: Scope, args: list[str], usage: str = "join.usage") -> Place:
        """The place an admin's command names (`place_in_scope`); refused with `usage`, the command's own."""
        return place_in_scope(self.district, scope, args, usage)

    async def create_link(self, session: AsyncSession, actor: int, place: Place) -> NewLink:
        code = secrets.token_urlsafe(12)
        now = self.clock()
        expires = now + timedelta(days=self.link_days)
        db.add_link(session, JoinLink(code_hash=digest(code), school_id=place.school.id, grade=place.grade,
                                      class_no=place.class_no, created_by=actor, created_at=now, expires_at=expires))  # fmt: skip
        return NewLink(code, place, expires)

    async def revoke_links(self, session: AsyncSession, place: Place) -> int:
        return await db.revoke_links(session, school_id=place.school.id, grade=place.grade, class_no=place.class_no,
                                     now=self.clock())  # fmt: skip

    async def place_of(self, session: AsyncSession, code: str) -> Place:
        """The place a join link is for. Refused for an unknown, expired or revoked code, without saying
        which."""
        link = await db.link_by_hash(session, digest(code)) if code else None
        if link is None or link.revoked_at is not None or link.expires_at <= self.clock():
            raise Refused("join.invalid")
        school = self.district.school(link.school_id)
        if school is None:  # the school left schools.yaml since
            raise Refused("join.invalid")
        return Place(school, link.grade, link.class_no)

    async def join(self, session: AsyncSession, user: User, code: str) -> Place:
        """Register `user` in the link's place (a class: as a pupil; a school: as staff) and record them
        as its verified member (refused as `place_of` is)."""
        place = await self.place_of(session, code)
        now, school = self.clock(), place.school
        self.registration.place(user, place.role, school.id, place.grade, place.class_no)
        row = await db.member(session, user.id)
        if row is None:
            db.add_member(session, VerifiedMember(user_id=user.id, school_id=school.id, grade=place.grade,
                                                  class_no=place.class_no, verified_at=now))  # fmt: skip
        elif (row.school_id, row.grade, row.class_no) != (school.id, place.grade, place.class_no):
            row.school_id, row.grade, row.class_no, row.number, row.verified_at = (
                school.id, place.grade, place.class_no, None, now)  # fmt: skip
        return place

    async def membership(self, session: AsyncSession, user: User) -> Membership | None:
        row = await db.member(session, user.id)
        school = self.district.school(row.school_id) if row else None
        if row is None or school is None:
            return None
        verified = (row.school_id, row.grade, row.class_no) == (user.school_id, user.grade, user.class_no)
        return Membership(Place(school, row.grade, row.class_no), row.number, verified)

    async def may_correct(self, session: AsyncSession, user: User) -> bool:
        """Whether the member may type their number again: one their class's roster holds is confirmed by it and
        stays (a review: a pupil could move onto a classmate's unclaimed number); another may be corrected."""
        found = await self.membership(session, user)
        if found is None or not found.verified or found.number is None:
            return False
        place = found.place
        if place.grade is None or place.class_no is None:
            return True
        return not await db.on_roster(session, school_id=place.school.id, grade=place.grade,
                                      class_no=place.class_no, number=found.number)  # fmt: skip

    async def give_number(
        self, session: AsyncSession, user: User, text: str, *, replace: bool = False
    ) -> str:
        """The 学号 (or 工号) a member who joined by link types, once, or again when they opened the link
        again to correct it (`replace`); checked against the class's roster where there is one, and against
        the numbers other members gave. A 学号 is digits, as rosters are (a pupils' pass had A2023015 kept,
        which no roster could ever hold)."""
        row = await db.member(session, user.id)
        found = await self.membership(session, user)
        if row is None or found is None or not found.verified:
            raise Refused("join.number_not_asked")
        if row.number is not None and not (replace and await self.may_correct(session, user)):
            raise Refused("join.number_given", number=row.number)
        number = text.strip()
        if not (ROSTER_NUMBER if found.place.is_class else NUMBER).fullmatch(number):
            raise Refused("join.number_bad_class" if found.place.is_class else "join.number_bad")
        place = found.place
        if place.grade is not None and place.class_no is not None:
            school_id, grade, class_no = place.school.id, place.grade, place.class_no
            if await db.roster_size(
                session, school_id=school_id, grade=grade, class_no=class_no
            ) and not await db.on_roster(
                session, school_id=school_id, grade=grade, class_no=class_no, number=number
            ):
                raise Refused("join.number_not_on_roster")
        if await db.number_taken(session, school_id=place.school.id, grade=place.grade, class_no=place.class_no,
                                 number=number, user_id=user.id):  # fmt: skip
            raise Refused("join.number_taken")
        row.number = number
        return number

    async def upload_roster(
        self, session: AsyncSession, actor: int, place: Place, file_name: str, data: bytes
    ) -> int:
        """Replace the class's roster with the numbers in the file; how many there are."""
        if not place.is_class or place.grade is None or place.class_no is None:
            raise Refused("roster.class_only")
        numbers = parse_roster(file_name, data)
        await db.replace_roster(session, school_id=place.school.id, grade=place.grade, class_no=place.class_no,
                                numbers=numbers, actor=actor, now=self.clock())  # fmt: skip
        return len(numbers)

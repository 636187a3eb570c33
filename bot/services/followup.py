"""Chasing those who have not taken part: /missing (who in the admin's scope has not finished a campaign)
and /remind (the campaign's reminder to them, at most once a day each, sent by the broadcast machinery:
paced by the bulk budget, resumable, never twice; its author is told how many it reached)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.campaigns import Campaign, Kind
from bot.content.schools import District, SchoolKind, SchoolSpec
from bot.db import followup as db
from bot.db.membership import count_never_joined, never_joined_numbers, roster_size
from bot.db.models import Broadcast
from bot.db.session import add_row
from bot.db.stats import staff_key
from bot.domain import Scope
from bot.services.campaigns import require_audience
from bot.services.errors import Refused
from bot.services.stats import NO_DEPARTMENT, place_label, seats

LISTED = 200  # names or numbers listed to a class teacher at most


@dataclass(frozen=True)
class ClassMissing:
    """A class teacher's class: who has not finished (学号, else display name), and roster numbers that
    never joined (None: no roster uploaded)."""

    school: str
    grade: int
    class_no: int
    members: int
    done: int
    pending: list[str]
    unnamed: int  # pending members with neither a number nor a display name
    never_joined: int | None
    kind: SchoolKind | None = None  # the school's, for the class's label
    unjoined: list[str] = field(default_factory=list)  # the first LISTED of the numbers that never joined


@dataclass(frozen=True)
class Tally:
    """One row of a per-class or per-school count: its members, how many finished, and enrolment."""

    label: str
    members: int
    done: int
    enrolled: int = 0
    exact: bool = True  # False: `enrolled` is an estimate (a grade range's share of the school's pupils)


@dataclass(frozen=True)
class Missing:
    campaign: Campaign
    level: str  # class | school | district
    classes: list[ClassMissing] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)


@dataclass(frozen=True)
class Reminded:
    campaign: Campaign
    count: int  # members the reminder goes to (the broadcast job reports how many it reached)
    broadcast_id: int | None


def remind_action(reminded: Reminded) -> str:
    """What /audit records of a reminder: sent, or asked for when nobody in scope needed one (an admins'
    pass read those as reminders sent)."""
    return "remind" if reminded.count else "remind_none"


class FollowUpService:
    def __init__(self, district: District, tz: ZoneInfo,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        self.district = district
        self.tz = tz
        self.clock = clock

    @staticmethod
    def target(campaign: Campaign, scope: Scope) -> db.Target:
        """The campaign's audience in scope; refused where the scope is classes only and the campaign is for
        no pupils (`require_audience`)."""
        require_audience(campaign, scope)
        return db.Target(campaign.id, campaign.kind is Kind.reading, campaign.audience.roles,
                         campaign.audience.grades, scope)  # fmt: skip

    def _schools(self, campaign: Campaign) -> list[SchoolSpec]:
        """Schools of the district that have some of the campaign's audience."""
        audience, out = campaign.audience, []
        for school in self.district.schools.values():
            staff = "staff" in audience.roles
            pupils = "student" in audience.roles and any(
                audience.admits("student", g) for g in school.grade_list
            )
            if staff or pupils:
                out.append(school)
        return out

    async def missing(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> Missing:
        """The district: per school, those with nobody finished first; a school admin: per class, and the
        staff by department as /stats groups them; a class teacher: who in each of their classes has not
        finished."""
        target = self.target(campaign, scope)
        if scope.district:
            counts = await db.counts(session, target, by="school")
            tallies = []
            for school in self._schools(campaign):
                members, done = counts.get((school.id,), (0, 0))
                enrolled, exact = seats(school, campaign.audience)  # the audience's roster figure, as /stats
                tallies.append(Tally(school.name, members, done, enrolled, exact))
            tallies.sort(key=lambda t: (t.done > 0, t.done / t.enrolled if t.enrolled else 0.0, t.label))
            return Missing(campaign, "district", tallies=tallies)
        if scope.schools:
            counts = await db.counts(session, target, by="group")
            # schools whose staff are split by department here: their staff row is those who gave none
            split = {key[0] for key in counts if key[1] is None and key[3]}
            tallies = [
                Tally(self._label(key) + (NO_DEPARTMENT if key[1] is None and not key[3] and key[0] in split else ""),
                      members, done)
                for key, (members, done) in sorted(counts.items(), key=_key)
            ]  # fmt: skip
            tallies.sort(key=lambda t: (t.done > 0, t.done / t.members if t.members else 0.0))
            return Missing(campaign, "school", tallies=tallies)
        return Missing(campaign, "class", classes=await self._classes(session, campaign, scope))

    async def _classes(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> list[ClassMissing]:
        target = self.target(campaign, scope)
        counts = await db.counts(session, target, by="class")
        pending = await db.pending_members(session, target, limit=LISTED * max(len(scope.classes), 1))
        out = []
        for school_id, grade, class_no in sorted(scope.classes):
            members, done = counts.get((school_id, grade, class_no), (0, 0))
            rows = [r for r in pending if (r[0], r[1], r[2]) == (school_id, grade, class_no)]
            listed = [str(r[3] or r[4]) for r in rows if r[3] or r[4]][:LISTED]
            never = await count_never_joined(session, school_id=school_id, grade=grade, class_no=class_no)
            has_roster = (
                never > 0
                or await roster_size(session, school_id=school_id, grade=grade, class_no=class_no) > 0
            )
            unjoined = (await never_joined_numbers(session, school_id=school_id, grade=grade, class_no=class_no,
                                                   limit=LISTED) if never else [])  # fmt: skip
            out.append(ClassMissing(self._label((school_id,)), grade, class_no, members, done, listed,
                                    sum(1 for r in rows if not (r[3] or r[4])), never if has_roster else None,
                                    school.kind if (school := self.district.school(school_id)) else None,
                                    unjoined))  # fmt: skip
        return out

    def _label(self, key: tuple[object, ...]) -> str:
        """A school (school,), or a class or staff group (school, grade, class, department), named as
        /stats names them."""
        if len(key) == 1:
            school = self.district.school(str(key[0]) if key[0] else None)
            return school.name if school else "—"
        if key[1] is None:
            return place_label(self.district, staff_key(str(key[0]), str(key[3]) if key[3] else None))
        return place_label(self.district, f"{key[0]}:{key[1]}:{key[2]}")

    async def remind(
        self, session: AsyncSession, actor: int, campaign: Campaign, scope: Scope, texts: tuple[str, str]
    ) -> Reminded:
        """Queue `texts` (Chinese, English: each recipient gets theirs) for the members in scope who have not
        taken part and were not reminded of this campaign today (local day); bot/jobs.py's broadcast job
        sends it and reports to `actor`."""
        now = self.clock()
        if not campaign.start.replace(tzinfo=self.tz) <= now < campaign.end.replace(tzinfo=self.tz):
            raise Refused("remind.closed")
        day = now.astimezone(self.tz).date()
        users = await db.reminder_targets(session, self.target(campaign, scope), day=day)
        if not users:
            return Reminded(campaign, 0, None)
        text, text_en = texts
        broadcast = await add_row(session, Broadcast(created_by=actor, text=text, text_en=text_en, audience="remind.0",
                                                     status="draft", created_at=now))  # fmt: skip
        count = await db.record_reminders(session, campaign_id=campaign.id, user_ids=users, day=day,
                                          broadcast_id=broadcast.id)  # fmt: skip
        broadcast.audience, broadcast.status = f"remind.{broadcast.id}", "sending" if count else "cancelled"
        return Reminded(campaign, count, broadcast.id if count else None)


def _key(item: tuple[tuple[object, ...], tuple[int, int]]) -> tuple[str, ...]:
    return tuple(f"{part or '':>3}" for part in item[0])  # school, then grade and class in numeric order

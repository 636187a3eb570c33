"""Participation and score reports for admins: the chat summary, the export's data, and the charts'.
Counts come from SQL aggregates in bot/db/stats.py; the denominators from content/schools.yaml (so
that /reload applies changed roster figures), following the campaign's audience.

Reading and building are apart: the methods read, in the caller's session, into plain data; the
export's sheets are laid out by bot/views/export.py and written by bot/render/workbook.py, with no
session, so that the bot can build them after its transaction has ended and off the event loop."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.campaigns import Audience, Campaign, Kind
from bot.content.questions import QuestionBank
from bot.content.schools import District, SchoolSpec
from bot.db import stats
from bot.domain import MAX_OPTIONS, ChartData, PackedRows, Row, Scope

PARTITION = 300  # participants read at a time for /export (see _participants)
MIN_TAKERS = 20  # fewer answers to an item than this, and discrimination says nothing


def seats(school: SchoolSpec, audience: Audience) -> tuple[int, bool]:
    """How many of a school's people the campaign is for (its audience's roles and grade range), and
    whether that is exact (False: a grade range's share of `students`, schools.yaml having no per-grade
    counts). Kindergarten children, who cannot register, are never counted."""
    count, exact = 0, True
    if "student" in audience.roles:
        count, exact = school.students_in(audience.grades)
    if "staff" in audience.roles:
        count += school.staff
    return count, exact


@dataclass(frozen=True)
class Report:
    campaign: Campaign
    scope: Scope
    summary: Row
    median: float | None
    towns: list[Row]
    schools: list[Row]  # every school in scope the campaign is for, those nobody took part in first
    hardest: list[tuple[str, str, int, int]]  # question id, stem, wrong, answers
    absent_by_town: dict[str, int] = field(default_factory=dict)  # town key: schools nobody took part in

    @property
    def absent(self) -> list[Row]:
        return [r for r in self.schools if not r.participants]


@dataclass(frozen=True)
class DrillDown:
    school: Row | None  # the school as a whole (None: the campaign is not for it)
    rows: list[Row]  # its classes and staff groups that took part, best mean first
    silent: list[str]  # the classes and departments of the audience nobody in took part in, in order


@dataclass(frozen=True)
class ItemStat:
    """Item statistics of one question over the attempts that count (as Moodle's): facility (share
    right), discrimination (top quarter's facility minus the bottom quarter's) and the point-biserial
    correlation of being right with the score, both None below MIN_TAKERS answers (`few` says so);
    and the share of answers choosing each option, in the question's own order (distractor analysis):
    the order of `choices`, whose right ones `correct` numbers (people saw them shuffled)."""

    question_id: str
    law: str
    stem: str
    choices: tuple[str, ...]
    correct: tuple[int, ...]
    takers: int
    facility: float
    discrimination: float | None
    point_biserial: float | None
    few: bool
    shares: tuple[float, ...]


@dataclass(frozen=True)
class Export:
    """Everything /export shows, as plain data (picklable, for a worker process)."""

    report: Report
    classes: list[Row]
    # Each participant once, numbered (a pseudonym within this export): id, school, grade, class, score,
    # seconds, level, [role, when the audience has several], then for those who passed: when (local), and
    # the certificate's code and issue time if one was issued.
    register: PackedRows  # those who passed, by when: the certificate register
    not_passed: PackedRows  # the others, by school, class and score
    items: list[ItemStat]
    window: tuple[datetime, datetime]
    exported_at: datetime
    exact_schools: int  # schools whose denominator is exact (per-grade counts, or the whole school)
    estimated_schools: int  # schools whose denominator is a grade range's share
    known_classes: int  # classes in the export whose size schools.yaml gives


class StatsService:
    def __init__(self, district: District, bank: QuestionBank, tz: ZoneInfo) -> None:
        self.district = district
        self.bank = bank
        self.tz = tz

    # -- denominators and labels ------------------------------------------------------------------------
    def _schools_in(self, scope: Scope) -> list[SchoolSpec]:
        if scope.district:
            return list(self.district.schools.values())
        return [s for s in self.district.schools.values() if s.id in scope.schools]

    def label(self, key: str) -> str:
        return place_label(self.district, key)

    def _seats(self, key: str, audience: Audience) -> tuple[int, bool]:
        """The denominator of a school ("cg-p1"), a class ("cg-p1:5:1": its size where known, and in the
        audience's grades) or a school's staff ("cg-p1:staff"); schools.yaml counts no department's staff
        ("cg-p1:staff:语文组": not known)."""
        parts = key.split(":", 2)
        school = self.district.school(parts[0])
        if school is None:
            return 0, True
        if len(parts) == 1:
            return seats(school, audience)
        if parts[1] == stats.STAFF:
            whole = len(parts) == 2 and "staff" in audience.roles
            return (school.staff if whole else 0), True
        grade, number = int(parts[1]), int(parts[2])
        if "student" not in audience.roles or not audience.admits("student", grade):
            return 0, True
        return school.class_size(grade, number), True

    def _row(self, key: str, tally: stats.Tally, audience: Audience, label: str | None = None) -> Row:
        enrolled, exact = self._seats(key, audience) if label is None else (0, True)
        mean = tally.score_sum / tally.took if tally.took else 0.0
        return Row(key, label or self.label(key), tally.took, tally.submitted, tally.passed, tally.excellent, mean,
                   enrolled, exact)  # fmt: skip

    # -- reading -----------------------------------------------------------------------------------------
    @staticmethod
    def _audience(campaign: Campaign, scope: Scope) -> Scope:
        """`scope` narrowed to the campaign's audience: its figures count only the roles it is for (a
        teacher who then joined a class as a pupil brought their staff exam result into the class's)."""
        return replace(scope, roles=frozenset(campaign.audience.roles))

    async def _overview(
        self, session: AsyncSession, campaign: Campaign, scope: Scope, level: str
    ) -> stats.Overview:
        scope = self._audience(campaign, scope)
        if campaign.kind is Kind.reading:  # its participants are its reading's subscribers
            counts = await stats.subscribers(session, campaign_id=campaign.id, scope=scope, level=level)
            groups = {k: stats.Tally(took=n) for k, n in counts.items() if k}
            return stats.Overview(stats.Tally(took=sum(counts.values())), groups, None)
        return await stats.overview(
            session, campaign_id=campaign.id, counts=campaign.counts, scope=scope, level=level
        )

    async def school_rows(
        self, session: AsyncSession, campaign: Campaign, scope: Scope
    ) -> tuple[stats.Overview, list[Row]]:
        """One row per school in scope that the campaign is for (or where someone took part), with its
        denominator: those nobody took part in come first, then by mean score. For /stats, /export,
        /chart, and for following up those who have not taken part."""
        overview = await self._overview(session, campaign, scope, "school")
        keys = {s.id for s in self._schools_in(scope) if seats(s, campaign.audience)[0]} | set(
            overview.groups
        )
        rows = [self._row(k, overview.groups.get(k, stats.Tally()), campaign.audience) for k in keys]
        rows.sort(key=lambda r: (r.participants > 0, -r.mean, r.label))
        return overview, rows

    async def report(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> Report:
        if scope.district or scope.schools:
            overview, schools = await self.school_rows(session, campaign, scope)
            enrolled = sum(r.enrolled for r in schools)
            exact = all(r.exact for r in schools)
        else:  # a class teacher's classes: their sizes where all are known
            overview, schools = await self._overview(session, campaign, scope, "school"), []
            sizes = [self._seats(f"{s}:{g}:{c}", campaign.audience)[0] for s, g, c in scope.classes]
            enrolled, exact = (sum(sizes) if all(sizes) else 0), True
        total = overview.total
        summary = Row("all", "", total.took, total.submitted, total.passed, total.excellent,
                      total.score_sum / total.took if total.took else 0.0, enrolled, exact)  # fmt: skip
        towns, absent = self._towns(schools) if scope.district else ([], {})
        hardest = [(qid, self.bank.get(qid).stem if self.bank.get(qid) else qid, wrong, total)  # type: ignore[union-attr]
                   for qid, wrong, total in await stats.hardest(session, campaign_id=campaign.id,
                                                                scope=self._audience(campaign, scope))]  # fmt: skip
        return Report(campaign, scope, summary, overview.median, towns, schools, hardest, absent)

    def _towns(self, schools: list[Row]) -> tuple[list[Row], dict[str, int]]:
        """Town rows summed from all their schools' rows, those nobody took part in included, in the
        order of schools.yaml; and how many schools of each nobody took part in."""
        by_key = {r.key: r for r in schools}
        towns, absent = [], {}
        for town in self.district.towns:
            rows = [by_key[s.id] for s in town.schools if s.id in by_key]
            if not rows:
                continue
            took = sum(r.participants for r in rows)
            mean = sum(r.mean * r.participants for r in rows) / took if took else 0.0
            towns.append(Row(town.id, town.name, took, sum(r.completed for r in rows), sum(r.passed for r in rows),
                             sum(r.excellent for r in rows), mean, sum(r.enrolled for r in rows),
                             all(r.exact for r in rows)))  # fmt: skip
            absent[town.id] = sum(1 for r in rows if not r.participants)
        return towns, absent

    async def classes(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> list[Row]:
        """Per class, and each school's staff by department (those who gave none as one group), best mean
        first. Where a school's staff are split by department, no staff row has a known denominator: the
        school's staff figure is of them all."""
        overview = await self._overview(session, campaign, scope, "class")
        rows = [self._row(k, t, campaign.audience) for k, t in overview.groups.items()]
        split = {stats.staff_key(r.key.split(":")[0]) for r in rows if is_department(r.key)}
        # beside its departments, a school's staff row is those who gave none (an admins' pass had read
        # 城关第一小学 教职工 there as the whole staff)
        rows = [replace(r, enrolled=0, label=r.label + NO_DEPARTMENT) if r.key in split else r for r in rows]
        return sorted(rows, key=lambda r: (-r.mean, r.label))

    async def drill_down(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> DrillDown:
        """/stats school: the one school of `scope` as a whole, its classes and staff groups that took part
        (`classes`), and the classes and departments of the campaign's audience nobody in took part in
        (an admins' pass: the drill-down had named only classes someone was in, and no total)."""
        (school_id,) = scope.schools
        _, schools = await self.school_rows(session, campaign, scope)
        rows = await self.classes(session, campaign, scope)
        spec, audience = self.district.school(school_id), campaign.audience
        places: list[str] = []
        if spec is not None and "student" in audience.roles:
            places += [stats.class_key(school_id, g, c) for g in spec.grade_list if audience.admits("student", g)
                       for c in range(1, spec.classes + 1)]  # fmt: skip
        if spec is not None and "staff" in audience.roles:
            # by department where schools.yaml names them, else the staff as one group (a school with no
            # departments and nobody taking part had been told the staff exam was not for it)
            places += [stats.staff_key(school_id, d) for d in spec.departments] or [
                stats.staff_key(school_id)
            ]
        took = {r.key for r in rows}
        total = schools[0] if schools else None
        return DrillDown(total, rows, [self.label(key) for key in places if key not in took])

    # -- export ------------------------------------------------------------------------------------------
    async def export_data(
        self, session: AsyncSession, campaign: Campaign, scope: Scope, names: Mapping[str, str], now: datetime
    ) -> Export:
        """What /export shows, read into plain data, so that the session can end before the workbook is
        built. `names` words roles and levels in the admin's language (student, staff, parent, passed,
        excellent, failed); `now`: when it is exported (the services' clock)."""
        report = await self.report(session, campaign, scope)
        classes = await self.classes(session, campaign, scope)
        register, not_passed = await self._participants(session, campaign, scope, names)
        schools = report.schools
        return Export(
            report, classes, register, not_passed, await self._items(session, campaign, scope),
            campaign.window(self.tz), now.astimezone(self.tz),
            sum(1 for r in schools if r.exact), sum(1 for r in schools if not r.exact),
            sum(1 for r in classes if r.enrolled and not is_staff(r.key)),
        )  # fmt: skip

    def _local(self, value: datetime | None) -> datetime | None:
        """A stored time as a local time without zone (a date cell in the workbook)."""
        if value is None:
            return None
        return value.astimezone(self.tz).replace(tzinfo=None, second=0, microsecond=0)

    async def _participants(
        self, session: AsyncSession, campaign: Campaign, scope: Scope, names: Mapping[str, str]
    ) -> tuple[PackedRows, PackedRows]:
        """The certificate register (those who passed, by when) and those who did not, pseudonymous alike:
        numbered within this export (in school, class and score order); no Telegram id, no name. Each
        participant is one row of one sheet, and numbers are numbers, not strings, which the workbook
        would keep a table of. The database numbers and orders them, and the rows are packed as they
        come (PackedRows): a province's half million participants never sit in memory as tuples.

        Read PARTITION rows at a time, each partition in one go: row by row (a trip through SQLAlchemy's
        greenlet each), 50,000 participants held the event loop for a second. Few driver rows are alive
        at once: with 1,000 a partition, enough survived into the oldest generation to set off a full
        collection (~0.1 s with the content loaded) during nearly every district export; with 300, none
        did."""
        await stats.roomy(session)
        query = stats.participants_query(campaign.id, campaign.counts, self._audience(campaign, scope))
        result = await session.stream(query, execution_options={"yield_per": PARTITION})
        register, not_passed = PackedRows(), PackedRows()
        schools = {s.id: s.name for s in self.district.schools.values()}
        several = len(campaign.audience.roles) > 1
        local = self._local
        async for partition in result.partitions():
            for number, school_id, grade, class_no, score, seconds, passed, excellent, role, finished_at, \
                    certificate, issued_at in partition:  # fmt: skip
                level = names["excellent"] if excellent else names["passed"] if passed else names["failed"]
                row: tuple[Any, ...] = (number, schools.get(school_id, ""), grade, class_no, score, seconds, level)  # fmt: skip
                if several:
                    role = getattr(role, "value", role)
                    row += (names.get(role, role),)
                if passed:
                    register.append((*row, local(finished_at), certificate, local(issued_at)))
                else:
                    not_passed.append(row)
        return register, not_passed

    async def _items(self, session: AsyncSession, campaign: Campaign, scope: Scope,
                     questions: Sequence[str] | None = None) -> list[ItemStat]:  # fmt: skip
        sums = await stats.item_sums(session, campaign_id=campaign.id, counts=campaign.counts,
                                     scope=self._audience(campaign, scope), questions=questions)  # fmt: skip
        return [self._item(qid, s) for qid, s in sums.items()]

    async def wrong_choices(self, session: AsyncSession, campaign: Campaign, scope: Scope,
                            questions: Sequence[str]) -> dict[str, tuple[str, float]]:  # fmt: skip
        """For each of `questions` (a few: the hardest), its most chosen wrong option and that option's
        share of the answers (distractor analysis, as the export's 题目分析 sheet has for all). Over the
        attempts that ended, as "hardest" counts them: a district's or schools' from the tallies (a few
        rows), classes' from their answers."""
        if scope.district or (scope.schools and all(c[0] in scope.schools for c in scope.classes)):
            counts = await stats.option_counts(session, campaign_id=campaign.id, questions=questions,
                                               schools=None if scope.district else scope.schools)  # fmt: skip
            shares = {qid: [chosen.get(i, 0) / answers if answers else 0.0 for i in range(MAX_OPTIONS)]
                      for qid, (answers, chosen) in counts.items()}  # fmt: skip
        else:
            shares = {item.question_id: list(item.shares)
                      for item in await self._items(session, campaign, scope, questions)}  # fmt: skip
        found: dict[str, tuple[str, float]] = {}
        for qid, option_shares in shares.items():
            question = self.bank.get(qid)
            if question is None:
                continue
            wrong = [
                (share, -i)
                for i, share in enumerate(option_shares[: len(question.choices)])
                if i not in question.correct and share > 0
            ]  # on a tie, the option listed first
            if wrong:
                share, index = max(wrong)
                found[qid] = (question.choices[-index], round(share, 3))
        return found

    def _item(self, qid: str, s: stats.ItemSums) -> ItemStat:
        question = self.bank.get(qid)
        options = len(question.choices) if question else 0
        enough = s.takers >= MIN_TAKERS
        discrimination = point_biserial = None
        if enough:
            if s.top and s.bottom:
                discrimination = round(s.top_right / s.top - s.bottom_right / s.bottom, 3)
            point_biserial = _point_biserial(s)
        shares = tuple(
            round(sum(n for chosen, n in s.chosen.items() if str(i) in chosen) / s.takers, 3)
            if s.takers
            else 0.0
            for i in range(options)
        )
        return ItemStat(qid, question.law if question else "", question.stem if question else "",
                        question.choices if question else (), tuple(sorted(question.correct)) if question else (), s.takers,
                        round(s.right / s.takers, 3) if s.takers else 0.0, discrimination, point_biserial,
                        not enough, shares)  # fmt: skip

    # -- charts ------------------------------------------------------------------------------------------
    async def per_day(
        self, session: AsyncSession, campaign: Campaign, scope: Scope
    ) -> list[tuple[date, int]]:
        """Participants per local day (of their counted attempt)."""
        return await stats.per_day(session, campaign_id=campaign.id, counts=campaign.counts,
                                   scope=self._audience(campaign, scope), tz=self.tz)  # fmt: skip

    async def chart_data(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> ChartData:
        """What /chart draws, as plain data for `bot.render.charts`: participants per local day, and the
        rates of every school in scope, those nobody took part in named apart."""
        days = await self.per_day(session, campaign, scope)
        report = await self.report(session, campaign, scope)
        rates = [(r.label, 100 * (r.pass_rate or 0), 100 * (r.excellence_rate or 0))
                 for r in sorted(report.schools, key=lambda r: (-r.mean, r.label)) if r.participants]  # fmt: skip
        return ChartData(campaign.title, days, rates, [r.label for r in report.absent])


NO_DEPARTMENT = "（未填部门）"  # a staff group beside departments: those who gave none


def place_label(district: District, key: str) -> str:
    """How reports name a school ("cg-p1"), a class ("cg-p1:5:1") or a school's staff ("cg-p1:staff",
    "城关第一小学 教职工"), by department where given ("cg-p1:staff:语文组", "城关第一小学 教职工·语文组")."""
    parts = key.split(":", 2)
    school = district.school(parts[0])
    name = school.name if school else parts[0]
    if len(parts) == 1:
        return name
    if parts[1] == stats.STAFF:
        return f"{name} 教职工·{parts[2]}" if len(parts) == 3 else f"{name} 教职工"
    return f"{name} {parts[1]}年级{parts[2]}班"


def is_staff(key: str) -> bool:
    """A key of a school's staff ("cg-p1:staff"), or of one of its departments ("cg-p1:staff:语文组")."""
    return key.split(":", 2)[1:2] == [stats.STAFF]


def is_department(key: str) -> bool:
    return is_staff(key) and key.count(":") >= 2


def _point_biserial(s: stats.ItemSums) -> float | None:
    """r_pb = (M1 - M0) / s * sqrt(p q): the mean scores of those right (M1) and wrong (M0), the standard
    deviation of everyone's scores (s), p the share right and q = 1 - p. None when all (or none) were
    right or all scored alike."""
    wrong = s.takers - s.right
    if not s.right or not wrong:
        return None
    mean = s.score_sum / s.takers
    variance = s.score_squares / s.takers - mean * mean
    if variance <= 1e-9:
        return None
    m1, m0 = s.right_score_sum / s.right, (s.score_sum - s.right_score_sum) / wrong
    return round((m1 - m0) / math.sqrt(variance) * math.sqrt(s.right * wrong) / s.takers, 3)

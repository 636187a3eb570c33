"""Participation and score reports for admins: the chat summary, the XLSX workbook with CSV twins,
and the charts. All figures come from SQL aggregates in bot/db/stats.py.

Reading and building are apart: the methods read, in the caller's session, into plain data; the
module-level `render_*` functions build the files from that, with no session, so that the bot can run
them after its transaction has ended and off the event loop (bot/workers.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.campaigns import Campaign
from bot.content.questions import QuestionBank
from bot.content.schools import District
from bot.db import stats
from bot.domain import ChartData, Row, Scope, Tables


@dataclass(frozen=True)
class Report:
    campaign: Campaign
    scope: Scope
    summary: Row
    median: float | None
    towns: list[Row]
    schools: list[Row]
    hardest: list[tuple[str, str, int, int]]  # question id, stem, wrong, answers


PARTITION = 300  # participants read at a time for /export (see _participants)


class StatsService:
    def __init__(self, district: District, bank: QuestionBank) -> None:
        self.district = district
        self.bank = bank

    def _label(self, level: str, key: str) -> str:
        parts = key.split(":")
        if level == "town":
            return next((t.name for t in self.district.towns if t.id == parts[0]), parts[0])
        school = self.district.school(parts[0])
        name = school.name if school else parts[0]
        return name if level == "school" else f"{name} {parts[1]}年级{parts[2]}班"

    async def _overview(
        self, session: AsyncSession, campaign: Campaign, scope: Scope, level: str
    ) -> stats.Overview:
        return await stats.overview(session, campaign_id=campaign.id, counts=campaign.counts, scope=scope,
                                    roles=campaign.audience.roles, level=level)  # fmt: skip

    def _labelled(self, level: str, rows: list[Row]) -> list[Row]:
        labelled = [
            Row(**{**r.__dict__, "label": self._label(level, r.key), "enrolled": self._enrolled(level, r)})
            for r in rows
        ]
        return sorted(labelled, key=lambda r: (-r.mean, r.label))

    async def report(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> Report:
        overview = await self._overview(session, campaign, scope, "school")
        summary, median = overview.total, overview.median
        schools = self._labelled("school", overview.groups) if scope.district or scope.schools else []
        towns = self._towns(schools) if scope.district else []
        hardest = [(qid, self.bank.get(qid).stem if self.bank.get(qid) else qid, wrong, total)  # type: ignore[union-attr]
                   for qid, wrong, total in await stats.hardest(session, campaign_id=campaign.id, scope=scope)]  # fmt: skip
        return Report(campaign, scope, summary, median, towns, schools, hardest)

    def _enrolled(self, level: str, row: Row) -> int:
        """Class rows take their size from schools.yaml's class_sizes, where known."""
        if level != "class":
            return row.enrolled
        school_id, grade, number = row.key.split(":")
        school = self.district.school(school_id)
        return (
            school.class_size(int(grade), int(number))
            if school and grade.isascii() and grade.isdigit() and number.isascii() and number.isdigit()
            else 0
        )

    def _towns(self, schools: list[Row]) -> list[Row]:
        """Town rows summed from the school rows (every school belongs to one town)."""
        towns: dict[str, list[Row]] = {}
        for row in schools:
            town = self.district.town_of.get(row.key)
            if town is not None:
                towns.setdefault(town.id, []).append(row)
        out = []
        for town_id, rows in towns.items():
            completed = sum(r.completed for r in rows)
            mean = sum(r.mean * r.completed for r in rows) / completed if completed else 0.0
            out.append(Row(town_id, self._label("town", town_id), sum(r.participants for r in rows), completed,
                           sum(r.passed for r in rows), sum(r.excellent for r in rows), mean, sum(r.enrolled for r in rows)))  # fmt: skip
        return sorted(out, key=lambda r: (-r.mean, r.label))

    async def classes(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> list[Row]:
        return self._labelled("class", (await self._overview(session, campaign, scope, "class")).groups)

    async def export_tables(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> Tables:
        """The tables of /export, read into plain lists (no ORM rows), so that the session can end before
        `bot.render.workbook` builds the files from them."""
        report = await self.report(session, campaign, scope)
        return {
            "summary": self._summary_table(report),
            "by_school": self._rows_table(report.schools),
            "by_class": self._rows_table(await self.classes(session, campaign, scope)),
            "participants": await self._participants(session, campaign, scope),
            "questions": await self._questions(session, campaign, scope),
        }

    def _summary_table(self, report: Report) -> list[list[Any]]:
        s = report.summary
        return [
            ["campaign", report.campaign.id], ["title", report.campaign.title],
            ["participants", s.participants], ["enrolled", s.enrolled], ["participation_rate", s.participation],
            ["completed", s.completed], ["pass_rate", s.pass_rate], ["excellence_rate", s.excellence_rate],
            ["mean_score", round(s.mean, 2)], ["median_score", report.median],
        ]  # fmt: skip

    @staticmethod
    def _rows_table(rows: list[Row]) -> list[list[Any]]:
        header = ["name", "participants", "enrolled", "participation_rate", "completed", "passed", "pass_rate",
                  "excellent", "excellence_rate", "mean_score"]  # fmt: skip
        return [header] + [[r.label, r.participants, r.enrolled or None, r.participation, r.completed, r.passed, r.pass_rate,
                            r.excellent, r.excellence_rate, round(r.mean, 2)] for r in rows]  # fmt: skip

    async def _participants(
        self, session: AsyncSession, campaign: Campaign, scope: Scope
    ) -> list[Sequence[Any]]:
        """Pseudonymous: participants are numbered within this export; no Telegram id, no name.

        Read PARTITION rows at a time, each partition in one go: row by row (a trip through SQLAlchemy's
        greenlet each), 50,000 participants held the event loop for a second. The rows kept are tuples,
        which the garbage collector stops tracking, and few driver rows are alive at once: with 1,000 a
        partition, enough survived into the oldest generation to set off a full collection (~0.1 s with
        the content loaded) during nearly every district export; with 300, none did."""
        query = stats.participants_query(campaign.id, campaign.counts, scope)
        result = await session.stream(query, execution_options={"yield_per": PARTITION})
        rows: list[Sequence[Any]] = [
            ("participant", "role", "school", "grade", "class", "score", "seconds", "passed", "excellent")
        ]
        number = 0
        async for partition in result.partitions():
            for r in partition:
                number += 1
                school = self.district.school(r.school_id)
                rows.append((f"P{number:06d}", r.role.value if hasattr(r.role, "value") else r.role, school.name if school else "",
                             r.grade, r.class_no, r.score, r.seconds, bool(r.passed), bool(r.excellent)))  # fmt: skip
        return rows

    async def _questions(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> list[list[Any]]:
        rows: list[list[Any]] = [["question", "law", "stem", "answers", "facility", "discrimination"]]
        for qid, answers, facility, discrimination in await stats.item_analysis(session, campaign_id=campaign.id,
                                                                               counts=campaign.counts, scope=scope):  # fmt: skip
            question = self.bank.get(qid)
            rows.append([qid, question.law if question else "", question.stem if question else "", answers,
                         round(facility, 3), round(discrimination, 3)])  # fmt: skip
        return rows

    async def chart_data(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> ChartData:
        """What /chart draws, as plain data for `bot.render.charts`."""
        days = await stats.per_day(session, campaign_id=campaign.id, scope=scope)
        report = await self.report(session, campaign, scope)
        rates = [
            (r.label, 100 * (r.pass_rate or 0), 100 * (r.excellence_rate or 0))
            for r in report.schools
            if r.completed
        ]
        return ChartData(campaign.title, days, rates)

"""The admin dashboard's figures and rights (the web layer, bot/web/, calls only this).

THE ADAPTER: everything the dashboard shows comes from the statistics service (bot/services/stats.py:
`report` (every town and school in scope with the audience's denominators, those nobody took part in
first), `classes`; the charts as its `chart_data` makes them, from the same report and
`bot.db.stats.per_day`) and is turned here into JSON-ready dicts; downloads are /export's
(`bot.views.export.export_files`).

Rights: every call takes the user id and asks Access for the user's grant as it is now, so a revoked
admin loses the dashboard at once; a place outside the grant is refused (403) before anything is read.
Login links: `/dashboard` can send a one-time link (a random token; only its SHA-256 is stored), valid
LOGIN_MINUTES and for one use."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.campaigns import Campaign
from bot.content.laws import LawLibrary
from bot.content.questions import QuestionBank
from bot.content.schools import District, SchoolSpec
from bot.db import dashboard as db
from bot.db.users import user_languages
from bot.domain import Row, Scope
from bot.numbers import one_decimal
from bot.services.access import Access
from bot.services.campaigns import CampaignService
from bot.services.errors import Refused
from bot.services.followup import FollowUpService, Missing, Reminded, remind_action
from bot.services.stats import Report, StatsService, is_staff

LOGIN_MINUTES = 10
FRESH_SECONDS = 30.0  # a report read for one dashboard serves the others (and the charts) this long
LEVELS = ("district", "town", "school", "class")


class Forbidden(Refused):
    """The place asked for lies outside the user's grant (or there is no grant): 403, nothing read."""


class NotFound(Refused):
    """No such campaign, town, school or class."""


@dataclass(frozen=True)
class Place:
    """Where in the district a dashboard view is: its level, key, label and the scope it reads."""

    level: str  # district | town | school | class
    key: str  # "" | town id | school id | school:grade:class
    label: str
    scope: Scope


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _rate(value: float | None) -> float | None:
    """A rate rounded once, as /stats and the export round it (one decimal of a percent, a half up), so
    that the page's `(100 * v).toFixed(1)` shows what /stats says: rounded to four places and then again
    in the browser, 14/17 had shown as 82.3% where /stats says 82.4%. A share too small for 0.1% is sent
    as it is (the page shows <0.1%)."""
    if value is None or 0 < value < 0.0005:
        return value
    return float(Decimal(one_decimal(100 * value)) / 100)


def _mean(value: float) -> float:
    """A mean with one decimal, a half up as /stats (76.25 is 76.3; round() made it 76.2)."""
    return float(Decimal(one_decimal(value)))


class DashboardService:
    def __init__(self, district: District, bank: QuestionBank, laws: LawLibrary, campaigns: CampaignService,
                 stats: StatsService, access: Access, followup: FollowUpService, tz: ZoneInfo,
                 clock: Callable[[], datetime]) -> None:  # fmt: skip
        self.district = district
        self.bank = bank
        self.laws = laws
        self.campaigns = campaigns
        self.stats = stats
        self.access = access
        self.followup = followup
        self.tz = tz
        self.clock = clock
        # (campaign, scope) -> (when read, the read): at district scale a report takes seconds, and ten
        # admins opening the page at once would each read it twice (view and charts). Reads of the same
        # place (the report, the days of the chart) share one read in flight and its result for FRESH_SECONDS;
        # rights are never cached.
        self._reads: dict[tuple[str, str, Scope], tuple[float, asyncio.Future[Any]]] = {}

    # --- rights and logins -------------------------------------------------------------------------

    async def grant(self, session: AsyncSession, user_id: int) -> Scope:
        """The user's scope now; Forbidden without one."""
        scope = await self.access.scope(session, user_id)
        if scope.empty:
            raise Forbidden("admin.refused")
        return scope

    async def language(self, session: AsyncSession, user_id: int, fallback: str) -> str:
        """The language the admin chose in the bot (/language), else `fallback`."""
        return (await user_languages(session, user_ids={user_id})).get(user_id, fallback)

    async def create_login(self, session: AsyncSession, user_id: int) -> str:
        """A one-time login token for an admin (the link carries it; the database keeps its hash)."""
        await self.grant(session, user_id)
        now = self.clock()
        await db.forget_old_logins(session, before=now - timedelta(days=1))
        token = secrets.token_urlsafe(32)
        db.add_login(session, token_hash=token_hash(token), user_id=user_id, now=now,
                     expires_at=now + timedelta(minutes=LOGIN_MINUTES))  # fmt: skip
        return token

    async def redeem_login(self, session: AsyncSession, token: str) -> int | None:
        """The admin a login token was made for, if it is unused and unexpired (it is then used up)."""
        if not token or len(token) > 100:
            return None
        return await db.use_login(session, token_hash=token_hash(token), now=self.clock())

    # --- places ------------------------------------------------------------------------------------

    def place(self, scope: Scope, level: str, key: str) -> Place:
        """The place asked for, with the scope to read it in, if the grant covers it."""
        if level == "district":
            return Place("district", "", "", scope)
        if level == "town":
            town = next((t for t in self.district.towns if t.id == key), None)
            if town is None:
                raise NotFound("admin.refused")
            if not scope.district:
                raise Forbidden("admin.refused")
            return Place("town", town.id, town.name, Scope(schools=frozenset(s.id for s in town.schools)))
        if level == "school":
            school = self.district.school(key)
            if school is None:
                raise NotFound("admin.refused")
            if scope.district or school.id in scope.schools:
                return Place("school", school.id, school.name, Scope(schools=frozenset({school.id})))
            own = frozenset(c for c in scope.classes if c[0] == school.id)
            if not own:
                raise Forbidden("admin.refused")
            return Place("school", school.id, school.name, Scope(classes=own))
        if level == "class":
            school_id, grade, number = self._class_key(key)
            school = self.district.school(school_id)
            if school is None or grade not in school.grade_list or not 1 <= number <= max(school.classes, 1):
                raise NotFound("admin.refused")
            if not (
                scope.district or school.id in scope.schools or (school.id, grade, number) in scope.classes
            ):
                raise Forbidden("admin.refused")
            return Place("class", key, f"{school.name} {grade}-{number}",
                         Scope(classes=frozenset({(school.id, grade, number)})))  # fmt: skip
        raise NotFound("admin.refused")

    @staticmethod
    def _class_key(key: str) -> tuple[str, int, int]:
        school_id, _, rest = key.partition(":")
        grade, _, number = rest.partition(":")
        if not (grade.isascii() and grade.isdigit() and number.isascii() and number.isdigit()):
            raise NotFound("admin.refused")
        return school_id, int(grade), int(number)

    def campaign(self, campaign_id: str | None) -> Campaign:
        try:
            return self.campaigns.current(campaign_id or None)
        except Refused as exc:
            raise NotFound("admin.no_campaign") from exc

    # --- figures (the adapter) ---------------------------------------------------------------------

    def campaign_list(self, language: str) -> list[dict[str, Any]]:
        """Campaigns with a quiz, the current one first, then the latest to start."""
        try:
            current = self.campaigns.current().id
        except Refused:
            current = None
        chosen = [c for c in self.campaigns.campaigns.values() if c.blueprint is not None]
        chosen.sort(key=lambda c: (c.id != current, -c.start.timestamp()))
        return [self._campaign_dict(c, language, current) for c in chosen]

    def _campaign_dict(self, c: Campaign, language: str, current: str | None = None) -> dict[str, Any]:
        return {
            "id": c.id,
            "title": (c.title_en or c.title) if language == "en" else c.title,
            "current": c.id == current,
            "state": self.campaigns.state(c),
            "start": c.start.astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if c.start.tzinfo else c.start.strftime("%Y-%m-%d %H:%M"),
            "end": c.end.astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if c.end.tzinfo else c.end.strftime("%Y-%m-%d %H:%M"),
            "roles": list(c.audience.roles),
            "grades": list(c.audience.grades) if c.audience.grades else None,
            "pass_mark": c.pass_mark,
            "excellent_mark": c.excellent,
        }  # fmt: skip

    async def view(self, session: AsyncSession, user_id: int, campaign_id: str | None, level: str, key: str,
                   language: str) -> dict[str, Any]:  # fmt: skip
        """One page of the dashboard: headline figures of a place, its rows one level down (towns, schools
        or classes; places nobody from took part first), and the weakest questions."""
        scope = await self.grant(session, user_id)
        place = self.place(scope, level, key)
        campaign = self.campaign(campaign_id)
        report = await self._report(session, campaign, place.scope)
        child, rows = await self._children(session, campaign, place, report)
        return {
            "campaign": self._campaign_dict(campaign, language),
            "place": {"level": place.level, "key": place.key, "label": place.label,
                      "scope": "district" if scope.district else "school" if scope.schools else "class"},
            "summary": {**self._row(report.summary, None),
                        "median": None if report.median is None else _mean(report.median)},
            "child_level": child,
            "rows": rows,
            "hardest": await self._hardest(session, campaign, place.scope, report),
        }  # fmt: skip

    async def _report(self, session: AsyncSession, campaign: Campaign, scope: Scope) -> Report:
        return await self._shared(
            ("report", campaign.id, scope), lambda: self.stats.report(session, campaign, scope)
        )  # type: ignore[no-any-return]

    async def _shared(self, key: tuple[str, str, Scope], read: Callable[[], Awaitable[Any]]) -> Any:
        """`read()`, or the result of the same read in flight or done within FRESH_SECONDS."""
        now = time.monotonic()
        cached = self._reads.get(key)
        if cached is not None and (not cached[1].done() or now - cached[0] < FRESH_SECONDS):
            return await asyncio.shield(cached[1])
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._reads = {k: v for k, v in self._reads.items() if now - v[0] < FRESH_SECONDS}
        self._reads[key] = (now, future)
        try:
            future.set_result(await read())
        except BaseException as exc:
            self._reads.pop(key, None)
            future.set_exception(exc)
            future.exception()  # retrieved: the waiters (if any) get it raised
            raise
        return future.result()

    async def _children(self, session: AsyncSession, campaign: Campaign, place: Place,
                        report: Any) -> tuple[str | None, list[dict[str, Any]]]:  # fmt: skip
        scope = place.scope
        if place.level == "district" and scope.district:
            return "town", [self._row(r, "town") for r in self._zero_first(report.towns)]
        if place.level in ("district", "town") and scope.schools:
            return "school", [self._row(r, "school") for r in self._zero_first(report.schools)]
        if place.level in ("district", "school") and scope.classes or place.level == "school":
            rows = await self.stats.classes(session, campaign, scope)
            rows = self._with_zero_rows(rows, self._zero_classes(scope, campaign))
            # a school's staff (by department) are no class with a page of its own: not a place to open
            return "class", [
                self._row(r, None if is_staff(r.key) else "class") for r in self._zero_first(rows)
            ]
        return None, []

    @staticmethod
    def _zero_first(rows: list[Row]) -> list[Row]:
        return sorted(rows, key=lambda r: r.participants > 0)  # stable: the service's order otherwise

    @staticmethod
    def _with_zero_rows(rows: list[Row], every: list[Row]) -> list[Row]:
        """The service's rows plus, for places it has no row for (nobody took part), a row of zeros."""
        seen = {r.key for r in rows}
        return list(rows) + [r for r in every if r.key not in seen]

    def _zero_classes(self, scope: Scope, campaign: Campaign) -> list[Row]:
        if "student" not in campaign.audience.roles:
            return []
        low, high = campaign.audience.grades or (1, 12)
        wanted: list[tuple[SchoolSpec, int, int]] = []
        for school_id in sorted(scope.schools):
            school = self.district.school(school_id)
            if school is not None:
                wanted += [(school, g, n) for g in school.grade_list if low <= g <= high
                           for n in range(1, school.classes + 1)]  # fmt: skip
        for school_id, grade, number in sorted(scope.classes):
            school = self.district.school(school_id)
            if school is not None:
                wanted.append((school, grade, number))
        return [Row(f"{s.id}:{g}:{n}", self.stats.label(f"{s.id}:{g}:{n}"), 0, 0, 0, 0, 0.0, s.class_size(g, n))
                for s, g, n in wanted]  # fmt: skip

    @staticmethod
    def _row(r: Row, level: str | None) -> dict[str, Any]:
        return {
            "key": r.key, "label": r.label, "level": level,
            "participants": r.participants, "enrolled": r.enrolled or None, "participation": _rate(r.participation),
            "completed": r.completed, "passed": r.passed, "pass_rate": _rate(r.pass_rate),
            "excellent": r.excellent, "excellence_rate": _rate(r.excellence_rate),
            "mean": _mean(r.mean) if r.completed else None, "zero": r.participants == 0,
            "roster_problem": r.roster_problem, "estimated": not r.exact,
        }  # fmt: skip

    async def _hardest(self, session: AsyncSession, campaign: Campaign, scope: Scope,
                       report: Report) -> list[dict[str, Any]]:  # fmt: skip
        questions = [q[0] for q in report.hardest]
        # item sums rank every result in scope: read once for everyone opening the page, like the report
        wrong_choices: dict[str, tuple[str, float]] = {}
        if questions:
            wrong_choices = await self._shared(
                ("wrong_choices", campaign.id, scope),
                lambda: self.stats.wrong_choices(session, campaign, scope, questions),
            )
        return [
            self._question(qid, wrong, answers, wrong_choices.get(qid))
            for qid, _, wrong, answers in report.hardest
        ]

    def _question(self, qid: str, wrong: int, answers: int,
                  wrong_choice: tuple[str, float] | None) -> dict[str, Any]:  # fmt: skip
        question = self.bank.get(qid)
        law = self.laws.laws.get(question.law) if question else None
        return {
            "id": qid,
            "stem": question.stem if question else qid,
            "answers": answers,
            "facility": _rate((answers - wrong) / answers) if answers else None,
            "wrong_option": f"{wrong_choice[0]} ({wrong_choice[1]:.0%})" if wrong_choice else None,
            "law": law.title if law else (question.law if question else ""),
            "articles": list(question.articles) if question else [],
        }

    async def charts(self, session: AsyncSession, user_id: int, campaign_id: str | None, level: str,
                     key: str) -> dict[str, Any]:  # fmt: skip
        """Completions per day and pass/excellence rates per school, for the place's scope."""
        place = self.place(await self.grant(session, user_id), level, key)
        campaign = self.campaign(campaign_id)
        # what StatsService.chart_data gives, with the report shared with the view (see _report)
        days = await self._shared(
            ("days", campaign.id, place.scope), lambda: self.stats.per_day(session, campaign, place.scope)
        )
        report = await self._report(session, campaign, place.scope)
        return {
            "days": [{"date": d.isoformat(), "completed": n} for d, n in days],
            "schools": [{"label": r.label, "pass_rate": float(one_decimal(100 * (r.pass_rate or 0))),
                         "excellence_rate": float(one_decimal(100 * (r.excellence_rate or 0)))}
                        for r in report.schools if r.completed],
        }  # fmt: skip

    async def missing(self, session: AsyncSession, user_id: int, campaign_id: str | None, level: str,
                      key: str) -> Missing:  # fmt: skip
        """Who in the place has not taken part, as /missing gives it for that scope."""
        place = self.place(await self.grant(session, user_id), level, key)
        return await self.followup.missing(session, self.campaign(campaign_id), place.scope)

    async def remind(self, session: AsyncSession, user_id: int, campaign_id: str | None, level: str, key: str,
                     texts: Callable[[Campaign], tuple[str, str]]) -> Reminded:  # fmt: skip
        """/remind for the place (the admin confirmed it on the page): queued for the broadcast job, at most
        once a day a person; audited."""
        place = self.place(await self.grant(session, user_id), level, key)
        campaign = self.campaign(campaign_id)
        reminded = await self.followup.remind(session, user_id, campaign, place.scope, texts(campaign))
        await self.access.audit(session, user_id, remind_action(reminded), f"dashboard {campaign.id} {place.level} {place.key}",
                                schools=place.scope.named_schools)  # fmt: skip
        return reminded

    async def export_scope(self, session: AsyncSession, user_id: int, campaign_id: str | None,
                           level: str, key: str) -> tuple[Campaign, Scope]:  # fmt: skip
        """What a download may hold (checked and audited in the caller's transaction)."""
        place = self.place(await self.grant(session, user_id), level, key)
        campaign = self.campaign(campaign_id)
        await self.access.audit(session, user_id, "export", f"dashboard {campaign.id} {place.level} {place.key}",
                                schools=place.scope.named_schools)  # fmt: skip
        return campaign, place.scope

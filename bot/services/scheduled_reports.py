"""Scheduled reports: a campaign may name report times (`reports: {daily: "18:00", at_end: true}` in its
YAML); at each, every admin in scope (super admins, and each grant holder for their grant) gets the
summary and the workbook without asking. Each (campaign, slot, admin) is claimed in the database before it
is sent, so no restart and no second process sends a slot twice. A daily slot is due from its time until
the end of its local day: a bot that was down sends today's report once it is back, never a backlog nor
yesterday's a day late."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.campaigns import Campaign
from bot.db import followup, grants
from bot.db.session import Database
from bot.domain import Scope
from bot.services.outbound import Outcome
from bot.services.stats import Report, StatsService

END_GRACE = timedelta(days=7)  # an end-of-campaign report still goes this long after the end


@dataclass(frozen=True)
class Slot:
    campaign: Campaign
    day: date | None = None  # the daily report's day; None for the one at the campaign's end

    @property
    def name(self) -> str:
        """How deliveries are claimed and audited: "daily:2026-12-01" | "end"."""
        return f"daily:{self.day.isoformat()}" if self.day else "end"


@dataclass(frozen=True)
class DueReport:
    slot: Slot
    admin_id: int
    scope: Scope  # the admin's: what the summary and the workbook cover
    report: Report


class ScheduledReports:
    def __init__(self, campaigns: Mapping[str, Campaign], stats: StatsService, super_admins: frozenset[int],
                 tz: ZoneInfo, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        self.campaigns = campaigns
        self.stats = stats
        self.super_admins = super_admins
        self.tz = tz
        self.clock = clock

    def due(self, now: datetime) -> list[Slot]:
        """The slots whose time has come: each campaign's latest daily slot within its window, and its
        end once it has ended (for END_GRACE)."""
        slots = []
        local = now.astimezone(self.tz)
        for campaign in self.campaigns.values():
            reports = campaign.reports
            if reports is None:
                continue
            start, end = campaign.window(self.tz)
            if reports.daily is not None:
                day = local.date()
                at = datetime.combine(day, reports.daily, self.tz)
                if start <= at <= local:  # today's, once its time has come (never yesterday's, a day late)
                    slots.append(Slot(campaign, day))
            if reports.at_end and end <= local < end + END_GRACE:
                slots.append(Slot(campaign))
        return slots

    async def recipients(self, session: AsyncSession) -> dict[int, Scope]:
        """Each admin and what they may see: super admins the district, grant holders their grants."""
        held: dict[int, list[tuple[str, str | None, int | None, int | None]]] = {}
        for g in await grants.all_active(session):
            held.setdefault(g.user_id, []).append((g.scope, g.school_id, g.grade, g.class_no))
        scopes = {admin: Scope(district=True) for admin in self.super_admins}
        for admin, rows in held.items():
            if admin in scopes:
                continue
            if any(kind == "district" for kind, *_ in rows):
                scopes[admin] = Scope(district=True)
                continue
            scopes[admin] = Scope(
                schools=frozenset(s for kind, s, _, _ in rows if kind == "school" and s),
                classes=frozenset((s, g, c) for kind, s, g, c in rows if kind == "class" and s and g and c),
            )
        return scopes

    async def send_due(self, db: Database, send: Callable[[DueReport], Awaitable[Outcome]]) -> int:
        """Send every due slot to every admin who has not had it; how many reports were sent."""
        slots = self.due(self.clock())
        if not slots:
            return 0
        async with db.transaction() as session:
            recipients = await self.recipients(session)
        sent = 0
        for slot in slots:
            for admin, scope in sorted(recipients.items()):
                async with db.transaction() as session:
                    claimed = await followup.claim_report(session, campaign_id=slot.campaign.id, slot=slot.name,
                                                          admin_id=admin, now=self.clock())  # fmt: skip
                    if claimed:
                        # received, not exported: the admin did nothing (an admins' pass had read it as theirs)
                        await grants.add_audit(session, actor=admin, action="report",
                                               detail=f"{slot.campaign.id} scheduled:{slot.name}",
                                               now=self.clock(), schools=scope.named_schools)  # fmt: skip
                if not claimed:
                    continue
                report = await db.read(self.stats.report, slot.campaign, scope)
                if await send(DueReport(slot, admin, scope, report)) is Outcome.sent:
                    sent += 1
        return sent

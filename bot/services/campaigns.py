"""Campaigns for users: what is open to whom, joining, attempts, the daily reading, standings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.campaigns import Campaign, ReadingDay, reading_question
from bot.content.questions import QuestionBank
from bot.db import campaigns as db
from bot.db import stats
from bot.db.models import CampaignMember, User
from bot.db.quiz import campaign_attempts
from bot.db.session import Database
from bot.db.users import deactivate
from bot.domain import BoardEntry, Row, Scope, Standing
from bot.services import certificates
from bot.services.errors import Refused
from bot.services.outbound import Outcome, Send
from bot.services.pacing import Budget, concurrently
from bot.services.stats import StatsService

READERS_AT_ONCE = 500


@dataclass(frozen=True)
class Listing:
    campaign: Campaign
    state: str  # open | upcoming | closed


@dataclass(frozen=True)
class ReadingSend:
    campaign: Campaign
    day: ReadingDay
    question_id: str | None
    user_id: int
    language: str


class CampaignService:
    def __init__(self, campaigns: dict[str, Campaign], bank: QuestionBank, tz: ZoneInfo, budget: Budget, *,
                 concurrency: int = 6, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 tables: StatsService | None = None) -> None:  # fmt: skip
        self.budget = budget  # shared with broadcasts: bulk sending as a whole keeps the rate
        self.concurrency = concurrency
        self.campaigns = campaigns
        self.bank = bank
        self.tz = tz
        self.clock = clock
        self.new_certificate_code: Callable[[], str] = certificates.new_code  # tests may replace it
        self.tables: StatsService | None = tables  # the leaderboards' class and school tables

    def now(self) -> datetime:
        return self.clock()

    def state(self, campaign: Campaign) -> str:
        start, end = campaign.window(self.tz)
        now = self.now()
        return "upcoming" if now < start else "closed" if now >= end else "open"

    def for_user(self, user: User) -> list[Listing]:
        """Campaigns this user is in the audience of, open ones first, then upcoming; closed ones of the
        last 30 days last (to see results)."""
        role = user.role.value if user.role else None
        listings = [
            Listing(c, self.state(c)) for c in self.campaigns.values() if c.audience.admits(role, user.grade)
        ]
        order = {"open": 0, "upcoming": 1, "closed": 2}
        recent = [
            x
            for x in listings
            if x.state != "closed" or (self.now() - x.campaign.window(self.tz)[1]).days <= 30
        ]
        return sorted(recent, key=lambda x: (order[x.state], x.campaign.start))

    def current(self, wanted: str | None = None, user: User | None = None) -> Campaign:
        """The campaign with a quiz that a report or a ranking is about: the one named, else the current
        one (an open one, the latest to open; else the latest that has started). With `user`, only
        campaigns in their audience. Refused when there is none."""
        candidates = [
            c
            for c in self.campaigns.values()
            if c.blueprint is not None and (user is None or self._admits(c, user))
        ]
        if wanted is not None:
            titled = _titled(candidates, wanted)
            if len(titled) > 1:  # /stats 竞赛: the one that has started, of this year's and next spring's
                titled = [c for c in titled if self.state(c) != "upcoming"] or titled
            chosen = next((c for c in candidates if c.id == wanted), None) or (
                titled[0] if len(titled) == 1 else None
            )
            # a word of several titles: named to the admin (an admins' pass: it had said none was found)
            if chosen is None and user is None and len(titled) > 1:
                names = "；".join(f"{c.id}（{c.title}）" for c in titled)
                raise Refused("admin.several_campaigns", name=wanted[:20], names=names)
            if chosen is None and user is not None and wanted not in self.campaigns:
                raise Refused("campaign.unknown")  # /rank foo had said 这个活动不面向您
            # an admin is told which names there are (学法考试 had found nothing)
            if chosen is None and user is None:
                names = "；".join(f"{c.id}（{c.title}）" for c in candidates if self.state(c) != "upcoming")
                raise Refused("admin.no_campaign_named", names=names or "—")
            if chosen is None:
                raise Refused("campaign.not_for_you")
            return chosen
        if (latest := self._latest(candidates)) is None:
            raise Refused("admin.no_campaign" if user is None else "campaign.none")
        return latest

    def _latest(self, campaigns: Iterable[Campaign]) -> Campaign | None:
        """Of `campaigns`, the one under way that opened last, else the last to have started; None when none
        has started."""
        started = [c for c in campaigns if self.state(c) != "upcoming"]
        return max(started, key=lambda c: (self.state(c) == "open", c.start)) if started else None

    def for_scope(self, wanted: str | None, scope: Scope) -> Campaign:
        """`current(wanted)` for an admin's report, refused where their scope has nobody it is for. Named by
        none, the current one of those it has somebody for: a class teacher's /stats while the staff exam is
        on is about their pupils' contest (an admins' pass: it had said the exam was not for their class, and
        pointed nowhere)."""
        campaign = self.current(wanted)
        if wanted is None and scope.has_none_of(campaign.audience.roles):
            fitting = self._latest(c for c in self.campaigns.values()
                                   if c.blueprint is not None and not scope.has_none_of(c.audience.roles))  # fmt: skip
            campaign = fitting or campaign
        require_audience(campaign, scope)
        return campaign

    def others(self, campaign: Campaign) -> list[Campaign]:
        """The campaigns with a quiz that have started, but `campaign`: what else an admin's /stats may be
        asked about (a district admin had not found the staff exam behind the pupils' contest)."""
        return [c for c in self.campaigns.values()
                if c.blueprint is not None and c.id != campaign.id and self.state(c) != "upcoming"]  # fmt: skip

    @staticmethod
    def _admits(campaign: Campaign, user: User) -> bool:
        return campaign.audience.admits(user.role.value if user.role else None, user.grade)

    def get(self, user: User, campaign_id: str) -> Campaign:
        campaign = self.campaigns.get(campaign_id)
        role = user.role.value if user.role else None
        if campaign is None or not campaign.audience.admits(role, user.grade):
            raise Refused("campaign.not_for_you")
        return campaign

    async def join(self, session: AsyncSession, user: User, campaign: Campaign) -> None:
        if self.state(campaign) != "open":
            raise Refused("campaign.not_open")
        await db.join_once(session, campaign_id=campaign.id, user_id=user.id, now=self.now())

    async def attempts_left(self, session: AsyncSession, user: User, campaign: Campaign) -> int:
        return max(
            0, campaign.attempts - await campaign_attempts(session, user_id=user.id, campaign_id=campaign.id)
        )

    async def member(self, session: AsyncSession, user: User, campaign: Campaign) -> CampaignMember | None:
        return await db.member(session, campaign_id=campaign.id, user_id=user.id)

    async def set_reading(self, session: AsyncSession, user: User, campaign: Campaign, on: bool) -> None:
        if campaign.reading is None:
            raise Refused()
        if on:
            await self.join(session, user, campaign)
        await db.set_reading(session, campaign_id=campaign.id, user_id=user.id, on=on)

    async def unsubscribe_all(self, session: AsyncSession, user: User) -> int:
        return await db.stop_all_reading(session, user_id=user.id)

    # -- daily reading --------------------------------------------------------------------------------
    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    def due_days(self) -> list[tuple[Campaign, ReadingDay]]:
        """Reading days whose sending time has come today, for campaigns that are open."""
        now = self.now().astimezone(self.tz)
        due = []
        for campaign in self.campaigns.values():
            if campaign.reading is None or self.state(campaign) != "open":
                continue
            day = campaign.reading.for_day(now.date())
            if day is not None and now.time() >= campaign.reading.time:
                due.append((campaign, day))
        return due

    async def pending_readers(
        self, session: AsyncSession, campaign: Campaign, day: ReadingDay, limit: int = READERS_AT_ONCE
    ) -> list[tuple[int, str]]:
        """Subscribers not yet sent this day's article: (user id, language)."""
        return await db.pending_readers(session, campaign_id=campaign.id, day=day.day, limit=limit)

    async def claim_reading(
        self, session: AsyncSession, campaign: Campaign, day: ReadingDay, user_id: int
    ) -> bool:
        """Record the day's delivery before sending; False when it was already recorded."""
        return await db.claim_delivery(session, campaign_id=campaign.id, user_id=user_id, day=day.day,
                                       now=self.now())  # fmt: skip

    def check_question(self, day: ReadingDay) -> str | None:
        return reading_question(self.bank, day)

    async def send_readings(self, db: Database, send: Send[ReadingSend]) -> int:
        """Send each subscriber the day's article once, for every reading due now, within the bulk budget
        and up to `concurrency` at once: each delivery is claimed (committed) before its message goes, so
        a restart never sends a second copy; a user who blocked the bot is made inactive. Returns how
        many were sent."""
        sent = 0
        for campaign, day in self.due_days():
            question = self.check_question(day)
            while True:
                async with db.transaction() as session:
                    readers = await self.pending_readers(session, campaign, day)

                deliver = partial(self._deliver_reading, db, send, campaign, day, question)
                sent += sum(await concurrently(readers, deliver, self.concurrency))
                if len(readers) < READERS_AT_ONCE:
                    break
        return sent

    async def _deliver_reading(self, db: Database, send: Send[ReadingSend], campaign: Campaign, day: ReadingDay,
                               question: str | None, reader: tuple[int, str]) -> bool:  # fmt: skip
        """One subscriber: claimed (committed) before the message goes; blocked means inactive."""
        user_id, language = reader
        async with db.transaction() as session:
            if not await self.claim_reading(session, campaign, day, user_id):
                return False
        await self.budget.take()
        outcome = await send(ReadingSend(campaign, day, question, user_id, language))
        if outcome is Outcome.blocked:
            async with db.transaction() as session:
                await deactivate(session, user_id=user_id)
        return outcome is Outcome.sent

    # -- standings ------------------------------------------------------------------------------------
    async def standing(self, session: AsyncSession, user: User, campaign: Campaign) -> Standing | None:
        return await stats.standing(session, campaign_id=campaign.id, counts=campaign.counts, user_id=user.id)

    async def certificate(self, session: AsyncSession, user: User, campaign: Campaign) -> Standing:
        """The standing a certificate shows; refused (with the pass mark) until the user has passed, and once
        the campaign has ended without a pass, said so (a pupils' pass: 加油！ there, where nothing can be done)."""
        standing = await self.standing(session, user, campaign)
        if standing is None or standing.score < campaign.pass_mark:
            ended = self.state(campaign) == "closed"
            raise Refused(
                "certificate.ended" if ended else "certificate.not_yet", passmark=campaign.pass_mark
            )
        return standing

    async def issue_certificate(
        self, session: AsyncSession, user: User, campaign: Campaign
    ) -> certificates.Issued:
        """Register the certificate of a user who passed (refused until then): its code, score and level."""
        standing = await self.certificate(session, user, campaign)
        return await certificates.issue(session, user_id=user.id, campaign_id=campaign.id, score=standing.score,
                                        excellent=standing.score >= campaign.excellent, now=self.now(),
                                        make_code=self.new_certificate_code)  # fmt: skip

    async def verify_certificate(
        self, session: AsyncSession, scope: Scope, typed: str
    ) -> certificates.Verified:
        """A certificate by its code, for an admin; refused alike when there is none and when its holder is
        outside the admin's scope."""
        found = await certificates.verify(session, scope=scope, typed=typed)
        if found is None:
            raise Refused("certificate.verify_unknown", code=typed[:20])
        return found

    def campaign_title(self, campaign_id: str, language: str) -> str:
        """A campaign's title by id (its id when it is no longer in the content)."""
        campaign = self.campaigns.get(campaign_id)
        if campaign is None:
            return campaign_id
        return campaign.title_in(language)

    async def class_board(self, session: AsyncSession, user: User, campaign: Campaign) -> list[BoardEntry]:
        if not user.school_id or user.grade is None or user.class_no is None:
            return []
        return await stats.class_board(session, campaign_id=campaign.id, counts=campaign.counts, school_id=user.school_id,
                                       grade=user.grade, class_no=user.class_no)  # fmt: skip

    async def class_boards(
        self,
        session: AsyncSession,
        campaign: Campaign,
        scope: Scope,
        grade_class: tuple[int, int] | None = None,
    ) -> list[tuple[tuple[str, int, int], list[BoardEntry]]]:
        """The boards of the classes a class teacher was granted, or (`grade_class`) of the one of them named;
        refused for a campaign with no pupils, and for a class not granted."""
        require_audience(campaign, scope)
        keys = sorted(scope.classes)
        if grade_class is not None:
            keys = [key for key in keys if key[1:] == grade_class]
            if not keys:
                raise Refused("rank.board_not_yours")
        return [(key, await stats.class_board(session, campaign_id=campaign.id, counts=campaign.counts, school_id=key[0],
                                              grade=key[1], class_no=key[2])) for key in keys]  # fmt: skip

    async def school_table(self, session: AsyncSession, user: User, campaign: Campaign) -> list[Row]:
        """Per class of the user's school: participation and mean score."""
        if not user.school_id or self.tables is None:
            return []
        return await self.tables.classes(session, campaign, Scope(schools=frozenset({user.school_id})))

    async def district_table(self, session: AsyncSession, campaign: Campaign) -> list[Row]:
        """The schools where someone took part, best mean first."""
        if self.tables is None:
            return []
        _, rows = await self.tables.school_rows(session, campaign, Scope(district=True))
        return sorted((r for r in rows if r.participants), key=lambda r: (-r.mean, r.label))


def require_audience(campaign: Campaign, scope: Scope) -> None:
    """Refused where the admin's scope is classes only and the campaign is for no pupils (`Scope.has_none_of`):
    /stats, /export, /chart, /missing and /remind alike (a class teacher's /export of the staff exam had
    sent an empty workbook, audited, where /stats said the class need not take part)."""
    if scope.has_none_of(campaign.audience.roles):
        raise Refused("missing.not_for_classes")


def _titled(campaigns: list[Campaign], wanted: str) -> list[Campaign]:
    """The campaigns whose title (Chinese or English) is `wanted`, else those whose title holds it (学法考试:
    2026年度教职工学法考试)."""
    words = wanted.strip().lower()
    exact = [c for c in campaigns if words in (c.title.lower(), c.title_en.lower())]
    return exact or [
        c for c in campaigns if words and (words in c.title.lower() or words in c.title_en.lower())
    ]

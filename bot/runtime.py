"""What the running bot is made of: settings, database, content and services, built once at start."""

from __future__ import annotations

import asyncio
import gc
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.content.bundle import Content, require_content
from bot.db.session import Database
from bot.services.access import Access
from bot.services.broadcast import BroadcastService
from bot.services.campaigns import CampaignService
from bot.services.dashboard import DashboardService
from bot.services.faq import FaqService
from bot.services.followup import FollowUpService
from bot.services.group_quiz import GroupQuizEngine
from bot.services.membership import MembershipService
from bot.services.names import NameService
from bot.services.pacing import Budget, bulk_budget
from bot.services.quiz.engine import QuizEngine
from bot.services.registration import Registration
from bot.services.scheduled_reports import ScheduledReports
from bot.services.stats import StatsService
from bot.workers import Workers

Clock = Callable[[], datetime]
SETTLE = "settle"  # bot_data: `run` asks on_startup to settle_in_background once it has built everything
log = logging.getLogger(__name__)


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (not on Windows), else asyncio's own loop. uvloop serves about 10 %
    more answers per second in benchmarks/quiz_throughput.py: its hand-offs between the loop and
    aiosqlite's thread cost less."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    db: Database
    content: Content
    clock: Clock
    seed: int | None
    registration: Registration
    quiz: QuizEngine
    group_quiz: GroupQuizEngine
    faq: FaqService
    access: Access
    campaigns: CampaignService
    stats: StatsService
    broadcasts: BroadcastService
    bulk_db: Database  # bulk sending's own connections (PostgreSQL), or `db`
    dashboard: DashboardService  # the admin dashboard's figures and rights (bot/web/)
    membership: MembershipService  # join links, verified members, rosters of numbers
    followup: FollowUpService  # /missing and /remind
    reports: ScheduledReports  # campaign reports sent at their `reports:` times
    workers: Workers  # CPU-bound rendering (exports, charts, certificates), off the event loop
    budget: Budget  # messages a second for bulk sending (broadcasts and the daily reading together)
    names: NameService  # the names chosen for rank tables, as admins list and clear them

    @classmethod
    def create(cls, settings: Settings, database_url: str | None = None) -> Services:
        """Load and validate content (raises ContentError) and open the database engine."""
        content = require_content(settings.content_dir, settings.quizzes_dir, settings.default_language,
                                  datetime.now(settings.tz).date())  # fmt: skip
        return cls.assemble(settings, Database(database_url or settings.database_url), content)

    @classmethod
    def assemble(cls, settings: Settings, db: Database, content: Content, *, clock: Clock = utc_now,
                 seed: int | None = None, faq: FaqService | None = None, workers: Workers | None = None,
                 budget: Budget | None = None, bulk_db: Database | None = None) -> Services:  # fmt: skip
        """Build every service over loaded content, all reading the one `clock` (tests pass a fake one;
        `seed` makes draws repeatable); `faq`, `workers`, `budget` and `bulk_db` may be passed in to keep
        them (the FAQ service otherwise starts without the curators' wordings: `match_learned`)."""
        tz, bulk_db = settings.tz, bulk_db or db.for_bulk(settings.bulk_concurrency + 1)
        budget = budget or bulk_budget(bulk_db, settings.bulk_rate)
        registration = Registration(content.district)
        access = Access(settings, content.district, clock)
        stats = StatsService(content.district, content.questions, tz)
        followup = FollowUpService(content.district, tz, clock)
        campaigns = CampaignService(content.campaigns, content.questions, tz, budget, concurrency=settings.bulk_concurrency,
                                    clock=clock, tables=stats)  # fmt: skip
        return cls(
            settings=settings, db=db, content=content, clock=clock, seed=seed,
            registration=registration,
            quiz=QuizEngine(content.questions, tz, clock, random.Random(seed), exam_seconds=settings.mock_exam_seconds,
                            campaigns=content.campaigns),
            group_quiz=GroupQuizEngine(content.questions, clock, random.Random(seed), open_period=settings.group_poll_seconds,
                                       gap_seconds=settings.group_gap_seconds),
            faq=faq or FaqService(content.faq, tz, clock),
            access=access, campaigns=campaigns, stats=stats,
            broadcasts=BroadcastService(content.district, budget, concurrency=settings.bulk_concurrency, clock=clock),
            dashboard=DashboardService(content.district, content.questions, content.laws, campaigns, stats, access,
                                       followup, tz, clock),
            membership=MembershipService(content.district, registration, clock),
            followup=followup,
            reports=ScheduledReports(content.campaigns, stats, settings.admin_ids, tz, clock),
            workers=workers or Workers(), budget=budget, bulk_db=bulk_db, names=NameService(access),
        )  # fmt: skip

    def replace_content(self, content: Content, faq: FaqService | None = None) -> None:
        """Serve newly loaded content (after /reload), keeping the settings, database, clock, workers and
        the bulk budget; `faq`: its FAQ service, built already (with the curators' wordings)."""
        fresh = Services.assemble(self.settings, self.db, content, clock=self.clock, seed=self.seed,
                                  workers=self.workers, budget=self.budget, bulk_db=self.bulk_db,
                                  faq=faq)  # fmt: skip
        vars(self).update(vars(fresh))

    async def match_learned(self) -> None:
        """Match the curators' wordings as the database holds them now (at start, and after /deleteme
        erased a wording that came from its asker's question); the matcher is rebuilt, off the event
        loop, only when they changed. Every copy of the bot also runs it every
        FAQ_WORDINGS_EVERY_SECONDS (bot/jobs.py), so another copy's additions and erasures count within
        a minute."""
        async with self.db.transaction() as session:
            learned = await self.faq.learned_wordings(session)
        faq = self.faq
        fresh = await asyncio.to_thread(faq.with_learned, learned)
        if self.faq is faq:  # a /reload meanwhile brought its own
            self.faq = fresh

    async def close(self) -> None:
        await self.workers.close()
        if self.bulk_db is not self.db:
            await self.bulk_db.dispose()
        await self.db.dispose()


def settle_in_background(services: Services) -> threading.Thread:
    """Once the bot is built (at the end of on_startup, which gives the FAQ the curators' wordings):
    finish, off the event loop, what start-up left for first use, then freeze the heap. For
    `python -m bot run`, which starts serving meanwhile (its first steps wait on Telegram).

    The FAQ matcher's pinyin index needs pypinyin (about 0.2 s to import, plus 0.1 s to build), and its
    homophone check jieba's dictionary (0.6 s, 70 MB; the /law keyword search uses it too), and the table
    that reads words typed as pinyin about 0.7 s more: made here, they are ready before the first question
    arrives instead of delaying it.

    gc.freeze(): the objects alive by then (modules, content, pypinyin's and jieba's dictionaries) live as
    long as the process, yet every full collection scanned them all, pausing the bot about 50 ms (120 ms
    on slower machines); frozen, they are never scanned again, and a full collection takes under 1 ms.
    /reload does not freeze again: the new content adds only about 4,600 tracked objects (a 0.6 ms full
    collection), and the frozen content it replaces is still freed, by reference counting, as it holds no
    reference cycles (none found over 20 reloads; memory stays flat). Freezing at every reload would
    instead keep for good whatever cycles later code might leave behind."""

    def settle() -> None:
        try:
            services.faq.prepare()
        except Exception:
            log.exception("could not prepare the FAQ; the first question will try again")
        gc.collect()  # so that no garbage is frozen with the rest
        gc.freeze()

    # Not a daemon: a bot stopped within its first half second waits for it rather than tearing the
    # interpreter down under an import.
    thread = threading.Thread(target=settle, name="settle")
    thread.start()
    return thread


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):  # type: ignore[type-arg]
    """The callback context, with typed access to the services kept in bot_data."""

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]  # type: ignore[no-any-return]

    @property
    def bulk_bot(self) -> ExtBot[None]:
        """The bot for bulk sending (broadcasts, the daily reading): its own connections to the Bot API."""
        return self.application.bot_data.get("bulk_bot", self.bot)  # type: ignore[no-any-return]


def services_of(app: Application) -> Services:  # type: ignore[type-arg]
    return app.bot_data["services"]  # type: ignore[no-any-return]

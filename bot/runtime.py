"""What the running bot is made of: settings, database, content and services, built once at start."""

from __future__ import annotations

import asyncio
import random
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
from bot.services.faq import FaqService
from bot.services.group_quiz import GroupQuizEngine
from bot.services.pacing import BulkBudget
from bot.services.quiz.engine import QuizEngine
from bot.services.registration import Registration
from bot.services.stats import StatsService
from bot.workers import Workers

Clock = Callable[[], datetime]


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
    workers: Workers  # CPU-bound rendering (exports, charts, certificates), off the event loop
    budget: BulkBudget  # messages a second for bulk sending (broadcasts and the daily reading together)

    @classmethod
    def create(cls, settings: Settings, database_url: str | None = None) -> Services:
        """Load and validate content (raises ContentError) and open the database engine."""
        content = require_content(settings.content_dir, settings.quizzes_dir, settings.default_language,
                                  datetime.now(settings.tz).date())  # fmt: skip
        return cls.assemble(settings, Database(database_url or settings.database_url), content)

    @classmethod
    def assemble(cls, settings: Settings, db: Database, content: Content, *, clock: Clock = utc_now,
                 seed: int | None = None, faq: FaqService | None = None, workers: Workers | None = None,
                 budget: BulkBudget | None = None) -> Services:  # fmt: skip
        """Build every service over loaded content, all reading the one `clock` (tests pass a fake one;
        `seed` makes draws repeatable); `faq`, `workers` and `budget` may be passed in to keep them."""
        tz, budget = settings.tz, budget or BulkBudget(settings.bulk_rate)
        return cls(
            settings=settings, db=db, content=content, clock=clock, seed=seed,
            registration=Registration(content.district),
            quiz=QuizEngine(content.questions, tz, clock, random.Random(seed), exam_seconds=settings.mock_exam_seconds),
            group_quiz=GroupQuizEngine(content.questions, clock, random.Random(seed), open_period=settings.group_poll_seconds,
                                       gap_seconds=settings.group_gap_seconds),
            faq=faq or FaqService(content.faq, tz, clock),
            access=Access(settings, content.district, clock),
            campaigns=CampaignService(content.campaigns, content.questions, tz, budget, concurrency=settings.bulk_concurrency,
                                      clock=clock),
            stats=StatsService(content.district, content.questions),
            broadcasts=BroadcastService(content.district, budget, concurrency=settings.bulk_concurrency, clock=clock),
            workers=workers or Workers(), budget=budget,
        )  # fmt: skip

    def replace_content(self, content: Content) -> None:
        """Serve newly loaded content (after /reload), keeping the settings, database, clock, workers and
        the bulk budget."""
        fresh = Services.assemble(self.settings, self.db, content, clock=self.clock, seed=self.seed,
                                  workers=self.workers, budget=self.budget)  # fmt: skip
        vars(self).update(vars(fresh))

    async def close(self) -> None:
        await self.workers.close()
        await self.db.dispose()


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):  # type: ignore[type-arg]
    """The callback context, with typed access to the services kept in bot_data."""

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]  # type: ignore[no-any-return]


def services_of(app: Application) -> Services:  # type: ignore[type-arg]
    return app.bot_data["services"]  # type: ignore[no-any-return]

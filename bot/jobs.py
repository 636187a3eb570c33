"""Every periodic job of the bot, declared once and scheduled from start-up (`schedule`, called by
`bot.app.on_startup`); nothing else schedules work.

A job is a thin adapter: it hands the workflow of the service that owns the work (claim, send, record
the outcome) a sender over Telegram, and renders what is sent."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass

from telegram.ext import Application, ApplicationBuilder, JobQueue

from bot import health
from bot.config import Settings
from bot.handlers.sender import PollPoster, send_document, send_text
from bot.runtime import BotContext, services_of
from bot.services.broadcast import Finished, Letter
from bot.services.campaigns import ReadingSend
from bot.services.outbound import Outcome
from bot.services.quiz.types import Expired
from bot.services.scheduled_reports import DueReport
from bot.views import Speaker
from bot.views import broadcast as broadcast_views
from bot.views import quiz as quiz_views
from bot.views.campaign import reading_message
from bot.views.export import export_files
from bot.views.stats import scheduled_heading, stats_text

log = logging.getLogger(__name__)
JobCallback = Callable[[BotContext], Coroutine[object, object, None]]


async def expire_attempts(context: BotContext) -> None:
    """Close attempts past their deadline and send each user their result."""
    services, bot = context.services, context.bot

    async def notify(expired: Expired) -> Outcome:
        voice = Speaker(services, expired.language or services.settings.default_language)
        text, markup = quiz_views.summary_message(voice, expired.summary)
        return await send_text(bot, expired.summary.user_id, text, markup)

    closed = await services.quiz.close_expired(services.db, notify)
    if closed:
        log.info("closed %d attempts past their deadline", closed)


async def advance_group_rounds(context: BotContext) -> None:
    """Send the next poll of each group round whose poll has closed, or its table."""
    services = context.services
    voice = Speaker(services, services.settings.default_language)
    await services.group_quiz.advance_due(services.db, PollPoster(context.bot, voice))


async def send_readings(context: BotContext) -> None:
    """Send each subscriber the day's article (宪法晨读) once, at the campaign's reading time."""
    services, bot = context.services, context.bulk_bot

    async def send(reading: ReadingSend) -> Outcome:
        text, markup = reading_message(Speaker(services, reading.language), reading)
        return await send_text(bot, reading.user_id, text, markup)

    sent = await services.campaigns.send_readings(services.bulk_db, send)
    if sent:
        log.info("sent the daily reading to %d users", sent)


async def send_broadcasts(context: BotContext) -> None:
    """Send broadcasts being sent, paced at BULK_RATE, and tell each author when theirs is done."""
    services, bot = context.services, context.bot

    async def send(letter: Letter) -> Outcome:
        text = broadcast_views.letter_text(Speaker(services, letter.language), letter.text)
        return await send_text(context.bulk_bot, letter.user_id, text)

    async def report(done: Finished) -> None:
        languages = await services.registration.languages_of(services.db, {done.created_by})
        voice = Speaker(services, languages.get(done.created_by, services.settings.default_language))
        await send_text(bot, done.created_by, broadcast_views.done_text(voice, done))

    sent = await services.broadcasts.send_pending(services.bulk_db, send, report)
    if sent:
        log.info("sent %d broadcast messages", sent)


async def send_scheduled_reports(context: BotContext) -> None:
    """At each campaign's report times (`reports:` in its YAML), the summary and the workbook to every
    admin in scope, once per slot and admin (claimed in the database before it is sent)."""
    services, bot = context.services, context.bot

    async def send(due: DueReport) -> Outcome:
        languages = await services.registration.languages_of(services.db, {due.admin_id})
        voice = Speaker(services, languages.get(due.admin_id, services.settings.default_language))
        text = scheduled_heading(voice, due.slot.day) + "\n" + stats_text(voice, due.report)
        outcome = await send_text(bot, due.admin_id, text)
        if outcome is Outcome.sent:
            xlsx, _ = await export_files(voice, due.slot.campaign, due.scope)
            name = f"{due.slot.campaign.id}-{due.slot.name.replace(':', '-')}.xlsx"
            outcome = await send_document(bot, due.admin_id, xlsx, name)
        return outcome

    sent = await services.reports.send_due(services.db, send)
    if sent:
        log.info("sent %d scheduled reports", sent)


async def watch_database(context: BotContext) -> None:
    """Stop the bot, saying why, when its SQLite file was deleted or replaced under it (it would go on
    writing into a file nobody can see, and lose it all at the next restart)."""
    problem = context.services.db.lost()
    if problem is not None:
        log.critical(
            "%s: stopping so that nothing more is lost; restore the file (or restart on a new one)", problem
        )
        context.application.bot_data["stopped_because"] = problem
        context.application.stop_running()


async def match_learned_wordings(context: BotContext) -> None:
    """Match the curators' wordings as the database holds them now: a wording added on another copy of
    the bot, or erased there by /deleteme (it came from its asker's question), counts here too within a
    minute, not only after a restart or /reload. The matcher is rebuilt only when they changed."""
    await context.services.match_learned()


async def heartbeat(context: BotContext) -> None:
    """Note in STATUS_FILE that the bot is alive (`python -m bot health` reads it): the Bot API answers
    getMe, the database answers, and with long polling the updater is still fetching updates."""
    services, app = context.services, context.application
    path = services.settings.status_file
    if path is None or not app.running:  # stopping (SIGTERM): the updater goes first, on purpose
        return
    problem = None
    try:
        await context.bot.get_me()
    except Exception as exc:  # whatever it is, it is the answer to "does the Bot API answer?"
        problem = f"Bot API: {type(exc).__name__}: {exc}"
    try:
        await services.db.ping()
    except Exception as exc:
        problem = f"database: {type(exc).__name__}"
    if (
        problem is None
        and app.updater is not None
        and not services.settings.webhook_url
        and not app.updater.running
    ):
        problem = "updates are no longer fetched"
    if problem is not None:
        log.warning("health check failed: %s", problem)
    health.record(path, problem=problem, now=time.time())


@dataclass(frozen=True)
class Job:
    name: str
    run: JobCallback
    every: Callable[[Settings], float]  # its interval in seconds, from settings


JOBS = (
    Job("expire-attempts", expire_attempts, lambda s: s.expire_every_seconds),
    Job("group-rounds", advance_group_rounds, lambda s: s.group_every_seconds),
    Job("daily-reading", send_readings, lambda s: s.reading_every_seconds),
    Job("broadcasts", send_broadcasts, lambda s: s.broadcast_every_seconds),
    Job("scheduled-reports", send_scheduled_reports, lambda s: s.report_every_seconds),
    Job("database-file", watch_database, lambda s: s.database_check_seconds),
    Job("faq-wordings", match_learned_wordings, lambda s: s.faq_wordings_every_seconds),
    Job("heartbeat", heartbeat, lambda s: s.health_every_seconds),
)


class DrainingJobQueue(JobQueue):  # type: ignore[type-arg]
    """PTB's job queue, stopped so that every job that started ends on its own. PTB waits for the jobs
    running when it stops, then shuts APScheduler down, which cancels whatever runs by then (and logs it
    as an error): a job falling due during that wait was started and cut off midway. Paused first, the
    scheduler starts nothing new while the running jobs finish."""

    async def stop(self, wait: bool = True) -> None:
        if self.scheduler.running:
            self.scheduler.pause()
        await super().stop(wait)


def with_queue(builder: ApplicationBuilder) -> ApplicationBuilder:  # type: ignore[type-arg]
    """The application's job queue: `DrainingJobQueue`."""
    return builder.job_queue(DrainingJobQueue())


def schedule(app: Application) -> None:  # type: ignore[type-arg]
    """Run every job in JOBS repeatedly. A run that finds its previous run still going (a long
    broadcast) returns at once, so that two runs of one job never overlap."""
    queue = app.job_queue
    if queue is None:
        raise RuntimeError("the job queue is missing: install python-telegram-bot[job-queue]")
    settings = services_of(app).settings
    for job in JOBS:
        interval = job.every(settings)
        queue.run_repeating(_alone(job.run), interval=interval, first=min(1.0, interval), name=job.name,
                            job_kwargs={"max_instances": 2, "coalesce": True})  # fmt: skip


def _alone(run: JobCallback) -> JobCallback:
    lock = asyncio.Lock()

    @functools.wraps(run)
    async def once(context: BotContext) -> None:
        if lock.locked():
            return
        async with lock:
            await run(context)

    return once

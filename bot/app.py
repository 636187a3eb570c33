"""build_application(): the one place handlers are registered, in order."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, ApplicationBuilder, ContextTypes, ExtBot
from telegram.request import BaseRequest

from bot import health, jobs
from bot.config import Settings
from bot.db.schools import sync_district
from bot.handlers import (
    awaiting,
    broadcast,
    campaign,
    certificate,
    commands,
    dashboard,
    errors,
    fallback,
    faq,
    followup,
    group_quiz,
    law,
    membership,
    onboarding,
    profile,
    quiz,
    rank,
    registration,
    rights,
    start,
)
from bot.ratelimit import ChatPacing
from bot.runtime import SETTLE, BotContext, Services, services_of, settle_in_background
from bot.services import pacing as bulk_pacing
from bot.transport import AiohttpRequest

# Connections to the Bot API at once. PTB's default of 256 let httpx's pool bookkeeping, which grows with
# connections and waiting requests, take the bot's CPU once ~200 updates ran at once: on PostgreSQL
# (where updates do not take turns as on SQLite) taps waited 2.9 s at the median in benchmarks/load.py
# (200 people, 100 ms round trip). Medians of taps by pool size: 16: 867 ms, 32: 425 ms, 64: 2.2 s.

TELEGRAM_CONNECTIONS = 32
BULK_BOT = "bulk_bot"  # bot_data key: the bot that bulk sending uses (BotContext.bulk_bot)
DASHBOARD = "dashboard_runner"  # bot_data: the dashboard's aiohttp runner, when DASHBOARD_URL is set

# Feature areas in dispatch order; typed text after them, fallback last so that it only sees what nobody
# else took. An area may name its entry points (FEATURES), the typed replies it reads (AWAITING) and the
# deep links it opens (DEEP_LINKS).
AREAS = [start, registration, profile, quiz, group_quiz, campaign, rank, certificate, law, faq, broadcast, membership,
         followup, rights, dashboard, commands, awaiting, fallback]  # fmt: skip


def _gathered(name: str) -> dict[str, Any]:
    """Every area's `name` registry (FEATURES or AWAITING), merged; a key claimed twice is a mistake."""
    merged: dict[str, Any] = {}
    for area in AREAS:
        for key, value in getattr(area, name, {}).items():
            if key in merged:
                raise RuntimeError(f"{name} key {key!r} is registered by two areas")
            merged[key] = value
    return merged


def build_application(
    services: Services,
    *,
    request: BaseRequest | None = None,
    token: str | None = None,
) -> Application:  # type: ignore[type-arg]
    settings = services.settings
    builder = (
        ApplicationBuilder()
        .token(token or (settings.bot_token.get_secret_value() if settings.bot_token else ""))
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(True)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    builder = jobs.with_queue(builder)
    if request is not None:  # the simulated Telegram (console, tests) brings its own
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.request(AiohttpRequest(TELEGRAM_CONNECTIONS)).get_updates_request(AiohttpRequest(1))
    pacing = ChatPacing(chat_burst=settings.chat_burst, chat_rate=settings.chat_rate)
    builder = builder.rate_limiter(pacing)  # type: ignore[arg-type]  # PTB types the builder for no rate_limit_args
    app = builder.build()
    app.bot_data[BULK_BOT] = app.bot if request is not None else _bulk_bot(app.bot, pacing, settings)
    app.bot_data["services"] = services
    app.bot_data[onboarding.FEATURES] = _gathered("FEATURES")
    app.bot_data[awaiting.READERS] = _gathered("AWAITING")
    app.bot_data[onboarding.DEEP_LINKS] = _gathered("DEEP_LINKS")
    app.add_handlers(commands.handlers())
    for area in AREAS:
        app.add_handlers(getattr(area, "HANDLERS", []))
    app.add_error_handler(errors.on_error)
    return app


def _bulk_bot(bot: ExtBot, pacing: ChatPacing, settings: Settings) -> ExtBot:  # type: ignore[type-arg]
    """The bot for bulk sending: the same token and per-chat pacing, its own BULK_CONCURRENCY connections to
    the Bot API, so that a send let go by the bulk budget goes at once rather than after people's calls
    queued for a connection, and tells the budget when each request went on the wire (it counts the send
    from then)."""
    request = AiohttpRequest(settings.bulk_concurrency, on_the_wire=bulk_pacing.on_the_wire)
    return ExtBot(bot.token, base_url=settings.telegram_api_base_url, base_file_url=settings.telegram_api_base_file_url,
                  request=request, get_updates_request=request, rate_limiter=pacing)  # type: ignore[arg-type]  # fmt: skip


async def on_startup(app: Application) -> None:  # type: ignore[type-arg]
    """Bring the database's org tables in line with content, have the FAQ match the curators' wordings
    (kept in the database), and announce the commands."""
    services = services_of(app)
    if app.bot_data[BULK_BOT] is not app.bot:
        await app.bot_data[BULK_BOT].initialize()
    if services.settings.status_file is not None:  # healthy only once this process's first check passed
        health.clear(services.settings.status_file)
    async with services.db.transaction() as session:
        await sync_district(session, district=services.content.district)
    await services.match_learned()
    if app.bot_data.pop(SETTLE, False):  # `run`: now that the FAQ matcher is the one that will serve
        settle_in_background(services)
    services.db.lost()  # notes which SQLite file this is, for the database-file job to watch
    jobs.schedule(app)
    await commands.announce(app)
    if services.settings.dashboard_url:  # the admin dashboard, served by this process beside PTB
        from bot.web.server import start

        app.bot_data[DASHBOARD] = await start(services, app.bot.token)


async def on_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    if app.bot_data[BULK_BOT] is not app.bot:
        await app.bot_data[BULK_BOT].shutdown()
    runner = app.bot_data.pop(DASHBOARD, None)
    if runner is not None:
        await runner.cleanup()
    services = services_of(app)
    if services.settings.status_file is not None:  # a stopped bot is not healthy
        health.clear(services.settings.status_file)
    await services.close()

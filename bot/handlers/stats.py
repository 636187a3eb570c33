"""/stats, /export and /chart for admins, within their grant. Rights are checked (and exports audited) in
the update's transaction; the figures are read after it, in a snapshot that other users' updates do not
wait for (bot/db/session.py), and files are built in a worker process (bot/workers.py)."""

from __future__ import annotations

import io
from dataclasses import replace

from telegram import InputFile

from bot.domain import Scope
from bot.handlers.base import Turn, handles
from bot.render.charts import charts
from bot.render.typeset import find_cjk_font
from bot.services.access import narrowed
from bot.services.errors import Refused
from bot.views import export as export_views
from bot.views import stats as views


def _wanted(args: list[str]) -> str | None:
    return args[0] if args else None


def _verified(args: list[str], scope: Scope) -> tuple[list[str], Scope]:
    """`verified` among the arguments: only members whose class a join link confirmed count."""
    if "verified" not in args:
        return args, scope
    return [a for a in args if a != "verified"], replace(scope, verified_only=True)


@handles
async def stats_command(turn: Turn) -> None:
    """/stats [campaign] — the summary for the admin's scope; /stats school <school> [campaign] (or the campaign
    first) drills down."""
    scope = await turn.services.access.require(turn.session, turn.user_id)
    args, scope = _verified(turn.args()[:4], scope)
    args, services = args[:3], turn.services
    bot, chat_id, db, stats = turn.context.bot, turn.chat_id, services.db, services.stats
    # before or after the campaign (/stats 学法考试 school 城关第一小学 had been the district's summary)
    if "school" in args:
        school_scope, rest = narrowed(services.content.district, scope, args)
        (school_id,) = school_scope.schools
        name = services.content.district.schools[school_id].name
        campaign = services.campaigns.current(_wanted(rest))

        async def drill_down() -> None:
            found = await db.read(stats.drill_down, campaign, school_scope)
            text = views.drill_down_text(turn, name, campaign, found, verified=scope.verified_only)
            await bot.send_message(chat_id, text)

        turn.later(drill_down)
        return
    campaign = services.campaigns.for_scope(_wanted(args), scope)
    # not those the scope has nobody for (a class teacher had been pointed to the staff exam, then refused it)
    others = [c for c in services.campaigns.others(campaign) if not scope.has_none_of(c.audience.roles)]

    async def summary() -> None:
        report = await db.read(stats.report, campaign, scope)
        await bot.send_message(chat_id, views.stats_text(turn, report, others))

    turn.later(summary)


@handles
async def export_command(turn: Turn) -> None:
    """/export [campaign]: the workbook and the same tables as CSV, in a private chat only."""
    scope = await turn.services.access.require(turn.session, turn.user_id)
    if not turn.private:
        raise Refused("admin.private_only")
    args, scope = _verified(turn.args()[:2], scope)
    campaign = turn.services.campaigns.for_scope(_wanted(args[:1]), scope)
    await turn.services.access.audit(
        turn.session, turn.user_id, "export", campaign.id, schools=scope.named_schools
    )
    bot, chat_id = turn.context.bot, turn.chat_id
    stamp = export_views.file_stamp(turn.services, campaign.id)

    async def send() -> None:
        xlsx, archive = await export_views.export_files(turn, campaign, scope)
        await bot.send_document(chat_id, InputFile(io.BytesIO(xlsx), filename=f"{stamp}.xlsx"))
        await bot.send_document(chat_id, InputFile(io.BytesIO(archive), filename=f"{stamp}-csv.zip"))

    turn.later(send)


@handles
async def chart_command(turn: Turn) -> None:
    """/chart [campaign]: completions per day, and pass and excellence rates by school (two PNGs)."""
    scope = await turn.services.access.require(turn.session, turn.user_id)
    campaign = turn.services.campaigns.for_scope(_wanted(turn.args()[:1]), scope)
    bot, chat_id, services = turn.context.bot, turn.chat_id, turn.services
    titles = {"per_day_title": turn.t("chart.per_day", campaign=campaign.title_in(turn.language)),
              "rates_title": turn.t("chart.rates", campaign=campaign.title_in(turn.language))}  # fmt: skip

    # without a font that draws Chinese the charts spell it in pinyin: said under the first, not left a puzzle
    caption = turn.t("chart.no_font") if turn.language != "en" and find_cjk_font() is None else None

    async def send() -> None:
        data = await services.db.read(services.stats.chart_data, campaign, scope)
        for number, png in enumerate(await services.workers.run(charts, data, **titles)):
            await bot.send_photo(chat_id, InputFile(io.BytesIO(png), filename=f"chart{number}.png"),
                                 caption=None if number else caption)  # fmt: skip

    turn.later(send)

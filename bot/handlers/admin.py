"""Admin tools: /unanswered, /reload, /grant, /revoke, /stats, /export, /chart and /broadcast. Rights come
from ADMIN_IDS and grants only; anyone else is refused without learning what exists."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import InputFile
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.content.bundle import load_content
from bot.content.campaigns import Campaign
from bot.content.faq_writer import add_alternates
from bot.domain import Scope
from bot.handlers.awaiting import done, expect
from bot.handlers.base import Turn, handles
from bot.keyboards import parse_data
from bot.render.charts import charts
from bot.render.workbook import workbook
from bot.services.errors import Refused
from bot.views.stats import pct, stats_text

MAX_PROBLEMS = 15


def _require_super_admin(turn: Turn) -> None:
    user = turn.update.effective_user
    if user is None or not turn.services.settings.is_super_admin(user.id):
        raise Refused("admin.refused")


@handles
async def unanswered(turn: Turn) -> None:
    """The most frequent questions the FAQ could not answer; `/unanswered csv` sends them all as a file."""
    _require_super_admin(turn)
    export = turn.args()[:1] == ["csv"]
    groups = await turn.services.faq.unanswered(turn.session, limit=1000 if export else 20)
    if not groups:
        await turn.reply(turn.t("admin.unanswered_none"))
        return
    if export and turn.private:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["normalized", "count", "example", "last_asked"])
        for g in groups:
            writer.writerow([g.normalized, g.count, g.example, g.last.isoformat()])
        data = buffer.getvalue().encode("utf-8-sig")
        chat = turn.update.effective_chat
        assert chat is not None
        bot = turn.context.bot
        name = f"unanswered-{datetime.now():%Y%m%d}.csv"
        turn.later(lambda: bot.send_document(chat.id, InputFile(io.BytesIO(data), filename=name)))
        return
    lines = [turn.t("admin.unanswered_title", n=len(groups))]
    lines += [turn.t("admin.unanswered_line", count=g.count, text=g.example[:60]) for g in groups]
    await turn.reply("\n".join(lines))


@handles
async def reload_content(turn: Turn) -> None:
    """Write curator-approved wordings into the FAQ files, check all content, and switch to it; a broken
    file keeps the old content and is reported with file:line."""
    _require_super_admin(turn)
    services = turn.services
    settings = services.settings
    pending = await services.faq.pending_alternates(turn.session)
    written = []
    for alternate in pending:
        if add_alternates(settings.content_dir / "faq", alternate.entry_id, [alternate.text]) is not None:
            written.append(alternate.id)
    await services.faq.mark_written(turn.session, written)
    content, report = load_content(settings.content_dir, settings.quizzes_dir, settings.default_language,
                                   services.faq.today())  # fmt: skip
    if content is None:
        problems = "\n".join(str(p) for p in report.errors[:MAX_PROBLEMS])
        await turn.reply(turn.t("admin.reload_failed", n=len(report.errors), problems=problems))
        return
    services.replace_content(content)
    await turn.reply(turn.t("admin.reloaded", summary=content.summary(), alternates=len(written)))


# -- rights ------------------------------------------------------------------------------------------------


def _actor(turn: Turn) -> int:
    user = turn.update.effective_user
    if user is None:
        raise Refused("admin.refused")
    return user.id


@handles
async def grant(turn: Turn) -> None:
    """/grant <user id> district | school <school id> | class <school id> <grade>-<class>"""
    await turn.services.access.grant(turn.session, _actor(turn), turn.args()[:4])
    await turn.reply(turn.t("admin.granted", what=" ".join(turn.args()[:4])))


@handles
async def revoke(turn: Turn) -> None:
    count = await turn.services.access.revoke(turn.session, _actor(turn), turn.args()[:4])
    await turn.reply(turn.t("admin.revoked", n=count))


# -- statistics --------------------------------------------------------------------------------------------


def _campaign(turn: Turn, args: list[str]) -> Campaign:
    campaigns = turn.services.content.campaigns
    if args and args[0] in campaigns:
        return campaigns[args[0]]
    if args:
        raise Refused("admin.no_campaign")
    with_quiz = [c for c in campaigns.values() if c.blueprint is not None]
    now = turn.services.campaigns.now()
    started = [c for c in with_quiz if c.window(turn.services.settings.tz)[0] <= now]
    if not started:
        raise Refused("admin.no_campaign")
    return max(started, key=lambda c: c.start)


@handles
async def stats_command(turn: Turn) -> None:
    """/stats [campaign] — the summary for the admin's scope; /stats school <id> [campaign] drills down.
    Rights are checked in the update's transaction; the figures are read after it, in a snapshot that
    other users' updates do not wait for (bot/db/session.py)."""
    actor = _actor(turn)
    scope = await turn.services.access.require(turn.session, actor)
    args = turn.args()[:3]
    chat = turn.update.effective_chat
    assert chat is not None
    bot, db, stats = turn.context.bot, turn.services.db, turn.services.stats
    if args[:1] == ["school"] and len(args) >= 2:
        school = turn.services.content.district.school(args[1])
        if school is None or not (scope.district or school.id in scope.schools):
            raise Refused("admin.refused")
        campaign = _campaign(turn, args[2:])

        async def drill_down() -> None:
            rows = await db.read(stats.classes, campaign, Scope(schools=frozenset({school.id})))
            lines = [turn.t("stats.drill_title", school=school.name, campaign=campaign.title)]
            lines += [turn.t("stats.class_row", label=r.label.removeprefix(school.name).strip(), n=r.participants, done=r.completed,
                             passrate=pct(r.pass_rate), excellent=pct(r.excellence_rate), mean=f"{r.mean:.1f}") for r in rows]  # fmt: skip
            await bot.send_message(chat.id, "\n".join(lines) if rows else turn.t("stats.empty"))

        turn.later(drill_down)
        return
    campaign = _campaign(turn, args)

    async def summary() -> None:
        await bot.send_message(chat.id, stats_text(turn, await db.read(stats.report, campaign, scope)))

    turn.later(summary)


@handles
async def export_command(turn: Turn) -> None:
    """/export [campaign]: the workbook and the same tables as CSV, in a private chat only. Rights are
    checked and the export audited in the update's transaction; after it, the tables are read in a
    snapshot and the files built in a worker process, so nobody else waits for them."""
    actor = _actor(turn)
    scope = await turn.services.access.require(turn.session, actor)
    if not turn.private:
        raise Refused("admin.private_only")
    campaign = _campaign(turn, turn.args()[:1])
    await turn.services.access.audit(turn.session, actor, "export", campaign.id)
    chat = turn.update.effective_chat
    assert chat is not None
    bot, services, stamp = turn.context.bot, turn.services, f"{campaign.id}-{datetime.now():%Y%m%d}"

    async def send() -> None:
        tables = await services.db.read(services.stats.export_tables, campaign, scope)
        xlsx, archive = await services.workers.run(workbook, tables)
        await bot.send_document(chat.id, InputFile(io.BytesIO(xlsx), filename=f"{stamp}.xlsx"))
        await bot.send_document(chat.id, InputFile(io.BytesIO(archive), filename=f"{stamp}-csv.zip"))

    turn.later(send)


@handles
async def chart_command(turn: Turn) -> None:
    """/chart [campaign]: two PNG charts, read in a snapshot after the update's transaction and drawn in a
    worker process."""
    actor = _actor(turn)
    scope = await turn.services.access.require(turn.session, actor)
    campaign = _campaign(turn, turn.args()[:1])
    chat = turn.update.effective_chat
    assert chat is not None
    bot, services = turn.context.bot, turn.services
    titles = {"per_day_title": turn.t("chart.per_day", campaign=campaign.title),
              "rates_title": turn.t("chart.rates", campaign=campaign.title)}  # fmt: skip

    async def send() -> None:
        data = await services.db.read(services.stats.chart_data, campaign, scope)
        for number, png in enumerate(await services.workers.run(charts, data, **titles)):
            await bot.send_photo(chat.id, InputFile(io.BytesIO(png), filename=f"chart{number}.png"))

    turn.later(send)


# -- broadcast ---------------------------------------------------------------------------------------------


@handles
async def broadcast_command(turn: Turn) -> None:
    """/broadcast: the next message the super admin types is the text to send."""
    user = turn.user
    if user is None or not turn.services.access.is_super(user.id) or not turn.private:
        raise Refused("admin.refused")
    args = turn.args()[:2]
    service = turn.services.broadcasts
    if args[:1] == ["status"]:
        lines = [turn.t("broadcast.sending", n=len(active := await service.sending(turn.session)))]
        for broadcast in active:
            p = await service.progress(turn.session, broadcast.id)
            lines.append(
                turn.t("broadcast.progress", id=broadcast.id, sent=p.sent, blocked=p.blocked, failed=p.failed)
            )
        await turn.reply("\n".join(lines))
        return
    audience = ""
    if len(args) == 2 and args[0] in ("school", "grade"):
        audience = f"{args[0]}.{args[1]}"
        service.check_audience(audience)
    expect(user, "broadcast", audience or "")
    await turn.reply(turn.t("broadcast.compose"))


async def on_broadcast_text(turn: Turn, text: str) -> None:
    """The typed broadcast text: audience buttons (all, staff, students), or the one audience given with
    `/broadcast school <id>` or `/broadcast grade <n>`."""
    user = turn.user
    assert user is not None
    audience = done(user)
    if not turn.services.access.is_super(user.id):
        raise Refused("admin.refused")
    draft = await turn.services.broadcasts.create(turn.session, actor=user.id, text=text)
    audiences = [audience] if audience else turn.services.broadcasts.audiences()
    buttons = [[Button(audience_label(turn, a), callback_data=f"bc:a:{draft.id}:{a}")] for a in audiences]
    buttons.append([Button(turn.t("broadcast.cancel"), callback_data=f"bc:x:{draft.id}")])
    await turn.reply(turn.t("broadcast.choose"), Markup(buttons))


def audience_label(turn: Turn, audience: str) -> str:
    kind, _, value = audience.partition(".")
    if kind == "school":
        school = turn.services.content.district.school(value)
        return turn.t("broadcast.aud_school", school=school.name if school else value)
    if kind == "grade":
        return turn.t("broadcast.aud_grade", grade=value)
    return turn.t(f"broadcast.aud_{kind}")


@handles
async def broadcast_button(turn: Turn) -> None:
    """bc:a:ID:AUDIENCE choose | bc:y:ID confirm | bc:x:ID cancel (school:<id> and grade:<n> come typed:
    /broadcast audiences are offered as buttons for all, staff and students)."""
    actor = _actor(turn)
    if not turn.services.access.is_super(actor):
        raise Refused("admin.refused")
    data = (turn.query.data if turn.query else "") or ""
    service = turn.services.broadcasts
    if (f := parse_data(data, "bc:a", 2)) is not None and f[0].isdigit():
        draft, count = await service.choose(turn.session, actor=actor, broadcast_id=int(f[0]), audience=f[1])
        preview = turn.t(
            "broadcast.preview", n=count, audience=audience_label(turn, f[1]), text=draft.text[:1000]
        )
        await turn.show(preview, Markup([[Button(turn.t("broadcast.confirm"), callback_data=f"bc:y:{draft.id}"),
                                           Button(turn.t("broadcast.cancel"), callback_data=f"bc:x:{draft.id}")]]))  # fmt: skip
    elif (f := parse_data(data, "bc:y", 1)) is not None and f[0].isdigit():
        await service.confirm(turn.session, actor=actor, broadcast_id=int(f[0]))
        await turn.show(turn.t("broadcast.started"))
    elif (f := parse_data(data, "bc:x", 1)) is not None and f[0].isdigit():
        await service.cancel(turn.session, actor=actor, broadcast_id=int(f[0]))
        await turn.show(turn.t("broadcast.cancelled"))
    else:
        raise Refused()


HANDLERS = [
    CommandHandler("unanswered", unanswered),
    CommandHandler("reload", reload_content),
    CommandHandler("grant", grant),
    CommandHandler("revoke", revoke),
    CommandHandler("stats", stats_command),
    CommandHandler("export", export_command),
    CommandHandler("chart", chart_command),
    CommandHandler("broadcast", broadcast_command),
    CallbackQueryHandler(broadcast_button, pattern=r"^bc:"),
]
AWAITING = {"broadcast": on_broadcast_text}

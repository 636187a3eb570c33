"""Super-admin tools (rights from ADMIN_IDS only): /unanswered and /reload."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from telegram import InputFile
from telegram.ext import CommandHandler

from bot.content.bundle import load_content
from bot.content.faq_writer import add_alternates
from bot.handlers.base import Turn, handles
from bot.services.errors import Refused

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


HANDLERS = [CommandHandler("unanswered", unanswered), CommandHandler("reload", reload_content)]

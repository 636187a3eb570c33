"""Super admins keep the content in step: /unanswered (what the FAQ could not answer) and /reload."""

from __future__ import annotations

import csv
import io

from telegram import InputFile

from bot.handlers.base import Turn, handles
from bot.services import curation
from bot.views.export import file_stamp

MAX_PROBLEMS = 15


@handles
async def unanswered(turn: Turn) -> None:
    """The most frequent questions the FAQ could not answer; `/unanswered csv` sends them all as a file."""
    await turn.services.access.require_super(turn.session, turn.user_id)
    export = turn.args()[:1] == ["csv"]
    groups = await turn.services.faq.unanswered(turn.session, limit=1000 if export else 20)
    if not groups:
        await turn.reply(turn.t("admin.unanswered_none"))
    elif export and turn.private:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["normalized", "count", "example", "last_asked"])
        writer.writerows([g.normalized, g.count, g.example, g.last.isoformat()] for g in groups)
        data, name = buffer.getvalue().encode("utf-8-sig"), f"{file_stamp(turn.services, 'unanswered')}.csv"
        bot, chat_id = turn.context.bot, turn.chat_id
        turn.later(lambda: bot.send_document(chat_id, InputFile(io.BytesIO(data), filename=name)))
    else:
        lines = [turn.t("admin.unanswered_title", n=len(groups))]
        lines += [turn.t("admin.unanswered_line", count=g.count, text=g.example[:60]) for g in groups]
        await turn.reply("\n".join(lines))


@handles
async def reload_content(turn: Turn) -> None:
    """Load and check all content again, with the curators' wordings from the database, and switch to it;
    a broken file keeps the old content and is reported with file:line. The loading (seconds at 10,000
    FAQ entries) happens after the update's transaction has ended, off the event loop."""
    await turn.services.access.require_super(turn.session, turn.user_id)
    services = turn.services
    learned = await services.faq.learned_wordings(turn.session)
    bot, chat_id, t = turn.context.bot, turn.chat_id, turn.t

    async def load_and_switch() -> None:
        result = await curation.reload_content(services.settings, services.faq, learned)
        if result.content is None:
            problems = "\n".join(result.problems[:MAX_PROBLEMS])
            await bot.send_message(
                chat_id, t("admin.reload_failed", n=len(result.problems), problems=problems)
            )
            return
        services.replace_content(result.content, faq=result.faq)
        await bot.send_message(
            chat_id, t("admin.reloaded", summary=result.content.summary(), alternates=result.wordings)
        )

    turn.later(load_and_switch)

"""Campaigns: the daily reading (宪法晨读) as a subscriber receives it."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup as Markup

from bot import keyboards
from bot.services.campaigns import ReadingSend
from bot.views import Voice


def reading_message(voice: Voice, reading: ReadingSend) -> tuple[str, Markup | None]:
    """The day's article (宪法晨读), with a button for its check question."""
    laws = voice.services.content.laws
    article = laws.article(reading.day.law, reading.day.article)
    law = laws.get(reading.day.law)
    title = law.title.removeprefix("中华人民共和国") if law else reading.day.law
    body = article.body[:3500] if article else ""
    text = voice.t("reading.article", law=title, label=article.label if article else "", body=body)
    if reading.question_id is None:
        return text, None
    return text, keyboards.single(voice.t("reading.check"), f"camp:q:{reading.question_id}")

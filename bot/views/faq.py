"""Enrollment FAQ: an entry as a parent reads it, with its basis and related questions."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.content.faq import FaqEntry
from bot.keyboards import faq as keyboards
from bot.views import Voice


def entry_message(
    voice: Voice, entry: FaqEntry, language: str, others: Sequence[FaqEntry] | None = None
) -> tuple[str, Markup]:
    """The entry; with `others` (a `likely` answer), the other candidates are offered below it
    (其他相关问题) instead of its related entries."""
    faq, laws = voice.services.faq, voice.services.content.laws
    lines = [f"❓ {entry.question}", "", faq.answer_text(entry, language)]
    basis = None
    if entry.basis is not None:
        article, law = laws.article(entry.basis.law, entry.basis.article), laws.get(entry.basis.law)
        if article is not None and law is not None:
            lines += [
                "",
                voice.t("faq.basis", law=law.title.removeprefix("中华人民共和国"), article=article.label),
            ]
            basis = (entry.basis.law, entry.basis.article, article.label)
    if others is not None:
        related = list(others)[:3]
    else:
        related = [r for r in (faq.entry(i) for i in entry.related) if r is not None][:3]
    if related:
        lines += ["", voice.t("faq.others" if others is not None else "faq.related")]
    markup = keyboards.entry(voice.t, entry.id, basis, [(r.id, r.question) for r in related])
    return "\n".join(lines), markup


def categories(voice: Voice, language: str) -> Markup:
    items = voice.services.faq.faq.categories
    return keyboards.categories([(c.id, c.title_en if language == "en" else c.title) for c in items])

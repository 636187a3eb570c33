"""/law: the articles that match a keyword, one button each."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import ShowArticle
from bot.keyboards import button


def matches(found: Sequence[tuple[str, int, str]]) -> Markup:
    """(law, article number, label) per match."""
    return Markup([[button(label, ShowArticle(law, number))] for law, number, label in found])

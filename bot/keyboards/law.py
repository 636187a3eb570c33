"""/law: the articles that match a keyword, one button each; the articles beside the one read."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import ShowArticle
from bot.keyboards import button


def matches(found: Sequence[tuple[str, int, str]]) -> Markup:
    """(law, article number, label) per match."""
    return Markup([[button(label, ShowArticle(law, number))] for law, number, label in found])


def beside(before: tuple[str, int, str] | None, after: tuple[str, int, str] | None) -> Markup | None:
    """◀ the article before, the one after ▶ (law, number, label each; None at a law's end)."""
    row = [button(f"◀ {before[2]}", ShowArticle(before[0], before[1]))] if before else []
    row += [button(f"{after[2]} ▶", ShowArticle(after[0], after[1]))] if after else []
    return Markup([row]) if row else None

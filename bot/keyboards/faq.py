"""Enrollment FAQ: categories, an entry's buttons, 您是不是想问, and the curators' choices."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import AddWording, AskPerson, FaqCategory, FaqEntry, FaqMenu, FaqVote, ShowArticle
from bot.keyboards import T, button, paged, private_chat, rows, single

Choice = tuple[str, str]  # entry id, its question


def categories(items: Sequence[tuple[str, str]]) -> Markup:
    """(category id, title) per category."""
    return Markup(rows([button(title, FaqCategory(cid, 0)) for cid, title in items], 2))


def category_page(t: T, category: str, entries: Sequence[Choice], page: int) -> Markup:
    buttons = [button(question, FaqEntry(eid)) for eid, question in entries]
    return paged(t, buttons, page, lambda n: FaqCategory(category, n), button(t("nav.back"), FaqMenu()))


def entry(t: T, entry_id: str, basis: Sequence[tuple[str, int, str]], related: Sequence[Choice]) -> Markup:
    """The basis articles (law, number, label), related entries, and 👍/👎."""
    keyboard = [
        [button(t("quiz.original", label=label), ShowArticle(law, number))] for law, number, label in basis
    ]
    keyboard += [[button(question, FaqEntry(eid))] for eid, question in related]
    keyboard.append(
        [button(t("faq.helpful"), FaqVote(entry_id, 1)), button(t("faq.not_helpful"), FaqVote(entry_id, 0))]
    )
    return Markup(keyboard)


def did_you_mean(t: T, choices: Sequence[Choice], ask_a_person: bool = False) -> Markup:
    """您是不是想问: the candidates, then none of them: all questions, or a person (when there are curators;
    the question then reaches them and /unanswered, which a menu's question did not)."""
    keyboard = [[button(question, FaqEntry(eid))] for eid, question in choices]
    if ask_a_person:
        keyboard.append([button(t("faq.human"), AskPerson())])
    keyboard.append([button(t("faq.none_of_these"), FaqMenu())])
    return Markup(keyboard)


def law_articles(t: T, articles: Sequence[tuple[str, int, str]], choices: Sequence[Choice]) -> Markup:
    """A law question: its articles (law, number, label), then the FAQ's closest entries, if any."""
    keyboard = [[button(label, ShowArticle(law, number))] for law, number, label in articles]
    keyboard += [[button(question, FaqEntry(eid))] for eid, question in choices]
    return Markup(keyboard) if keyboard else browse(t)


def next_steps(t: T, choices: Sequence[Choice], ask_a_person: bool, privately: str | None = None) -> Markup:
    """After 👎: the other entries, a person (when there are curators: in a group, `privately`, a link to
    the private chat with the bot of that username, where 转人工 works), all questions."""
    keyboard = [[button(question, FaqEntry(eid))] for eid, question in choices]
    if ask_a_person:
        keyboard.append([button(t("faq.human"), AskPerson())])
    elif privately is not None:
        keyboard.append([private_chat(t("faq.human_private"), privately)])
    keyboard.append([button(t("faq.browse"), FaqMenu())])
    return Markup(keyboard)


def ask_privately(t: T, bot_username: str) -> Markup:
    """转人工 asked for in a group: the private chat, where it works, and all questions."""
    return Markup(
        [[private_chat(t("faq.human_private"), bot_username)], [button(t("faq.browse"), FaqMenu())]]
    )


def browse(t: T) -> Markup:
    return single(t("faq.browse"), FaqMenu())


def add_wording(t: T, query_id: int, choices: Sequence[Choice]) -> Markup | None:
    """For a curator: file the asker's wording under one of the closest entries."""
    buttons = [
        [button(t("faq.add_to", question=question[:40]), AddWording(query_id, eid))]
        for eid, question in choices
    ]
    return Markup(buttons) if buttons else None

"""Inline keyboards: pure builders, one module per area, every button's data a typed callback from
bot/callbacks.py (never a string put together by hand). Labels come through the caller's `t`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import Callback, Menu

T = Callable[..., str]
PAGE_SIZE = 8


def button(label: str, data: Callback) -> Button:
    return Button(label, callback_data=data.pack())


def rows(buttons: Sequence[Button], width: int) -> list[list[Button]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def single(label: str, data: Callback) -> Markup:
    return Markup([[button(label, data)]])


def paged(
    t: T, buttons: Sequence[Button], page: int, page_data: Callable[[int], Callback], back: Button
) -> Markup:
    """One button a row, PAGE_SIZE to a page, « » to move between pages, and a way back."""
    pages = max(1, -(-len(buttons) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    keyboard = [[b] for b in buttons[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    nav = []
    if page > 0:
        nav.append(button(t("nav.prev"), page_data(page - 1)))
    if page < pages - 1:
        nav.append(button(t("nav.next"), page_data(page + 1)))
    if nav:
        keyboard.append(nav)
    keyboard.append([back])
    return Markup(keyboard)


def main_menu(t: T) -> Markup:
    return Markup(
        [
            [button(t("menu.quiz"), Menu("quiz")), button(t("menu.faq"), Menu("faq"))],
            [button(t("menu.scores"), Menu("scores")), button(t("menu.help"), Menu("help"))],
        ]
    )


def open_private(t: T, bot_username: str) -> Markup:
    return Markup([[private_chat(t("group.open_private"), bot_username)]])


def private_chat(label: str, bot_username: str) -> Button:
    """A link from a group to the private chat with the bot."""
    return Button(label, url=f"https://t.me/{bot_username}?start=group")

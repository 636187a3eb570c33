"""/names: a button that clears each name listed."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import ClearName
from bot.keyboards import T, button, rows
from bot.services.names import ChosenNames


def clear_names(t: T, chosen: ChosenNames) -> Markup | None:
    buttons = [
        button(t("names.clear", n=i), ClearName(n.user_id)) for i, n in enumerate(chosen.names, start=1)
    ]
    return Markup(rows(buttons, 4)) if buttons else None

"""Membership: the staff member's way past the optional 工号."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import SkipNumber
from bot.keyboards import T, single


def skip_number(t: T) -> Markup:
    return single(t("join.skip"), SkipNumber())

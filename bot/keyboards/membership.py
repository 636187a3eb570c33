"""Membership: joining a place that changes the user's role, and the way past the 学号 or 工号."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import JoinCancel, JoinConfirm, SkipNumber
from bot.keyboards import T, button, single


def skip_number(t: T) -> Markup:
    return single(t("join.skip"), SkipNumber())


def confirm_join(t: T, code: str) -> Markup:
    return Markup([[button(t("join.confirm"), JoinConfirm(code)), button(t("join.stay"), JoinCancel())]])

"""Broadcasts: choosing the audience, then confirming."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import Audience, CancelBroadcast, ConfirmBroadcast
from bot.keyboards import T, button


def audiences(t: T, broadcast_id: int, choices: Sequence[tuple[str, str]]) -> Markup:
    """(audience, label) per choice, and 取消."""
    keyboard = [[button(label, Audience(broadcast_id, audience))] for audience, label in choices]
    keyboard.append([button(t("broadcast.cancel"), CancelBroadcast(broadcast_id))])
    return Markup(keyboard)


def confirm(t: T, broadcast_id: int) -> Markup:
    return Markup([[button(t("broadcast.confirm"), ConfirmBroadcast(broadcast_id)),
                    button(t("broadcast.cancel"), CancelBroadcast(broadcast_id))]])  # fmt: skip

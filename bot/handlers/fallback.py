"""What is left after every feature handler: unknown commands and unknown (stale or forged) buttons.
Typed text is routed by bot/handlers/awaiting.py; commands used in the wrong kind of chat are answered
by bot/handlers/commands.py."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.handlers.base import Turn, handles


@handles
async def unknown_command(turn: Turn) -> None:
    await turn.reply(turn.t("fallback.unknown_command"))


@handles
async def unknown_button(turn: Turn) -> None:
    await turn.alert(turn.t("error.stale_button"))


HANDLERS = [
    MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command),
    CallbackQueryHandler(unknown_button),
]

"""What is left after every feature handler: unknown commands, unknown buttons, and personal commands
sent in a group. (Typed text is routed by bot/handlers/awaiting.py.)"""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import keyboards
from bot.handlers.base import Turn, handles

PERSONAL_COMMANDS = ["profile", "language", "deleteme", "quiz", "scores", "mistakes", "campaign", "rank", "name",
                     "unsubscribe"]  # fmt: skip


@handles
async def unknown_command(turn: Turn) -> None:
    await turn.reply(turn.t("fallback.unknown_command"))


@handles
async def personal_in_group(turn: Turn) -> None:
    await turn.reply(turn.t("group.private_only"), keyboards.open_private(turn.t, turn.context.bot.username))


@handles
async def unknown_button(turn: Turn) -> None:
    await turn.alert(turn.t("error.stale_button"))


HANDLERS = [
    CommandHandler(PERSONAL_COMMANDS, personal_in_group, filters=filters.ChatType.GROUPS),
    MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command),
    CallbackQueryHandler(unknown_button),
]

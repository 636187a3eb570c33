"""What is left after every feature handler: typed text, unknown commands, unknown buttons, and
personal commands sent in a group."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import keyboards
from bot.handlers.admin import on_broadcast_text
from bot.handlers.base import Turn, handles
from bot.handlers.campaign import on_certificate_name
from bot.handlers.faq import answer_question
from bot.handlers.registration import on_school_search

# Typed text longer than this is not a search or a question anybody means; it is answered, not processed.
MAX_TEXT = 1000
PERSONAL_COMMANDS = ["profile", "language", "deleteme", "quiz", "scores", "mistakes", "campaign", "rank", "name",
                     "unsubscribe"]  # fmt: skip


@handles
async def on_text(turn: Turn) -> None:
    """Free text in a private chat: the answer to whatever the bot is waiting for, else an enrollment
    question."""
    message, user = turn.update.effective_message, turn.user
    assert message is not None and user is not None
    text = message.text or ""
    if len(text) > MAX_TEXT:
        await turn.reply(turn.t("error.too_long", limit=MAX_TEXT))
        return
    if user.awaiting == "school_search":
        await on_school_search(turn, text)
    elif (user.awaiting or "").startswith("certificate:"):
        await on_certificate_name(turn, text)
    elif (user.awaiting or "").startswith("broadcast"):
        await on_broadcast_text(turn, text)
    else:
        await answer_question(turn, text)


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
    MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
    MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command),
    CallbackQueryHandler(unknown_button),
]

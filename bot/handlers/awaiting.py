"""Free text in a private chat, routed to whatever reply the bot is waiting for.

An area that asks for typed text (a school's name, a name for a certificate, a broadcast's text) marks
the user with `expect(user, kind, detail)` and lists its reader in `AWAITING` ({kind: reader}); bot/app.py
gathers them into `bot_data`. Text with nothing awaited goes to the reader registered under "" (the
enrollment FAQ). The mark is on the user's row, so a restart does not lose a half-finished flow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from telegram.ext import MessageHandler, filters

from bot.handlers.base import Turn, handles

if TYPE_CHECKING:
    from bot.db.models import User

READERS = "awaiting"  # bot_data key: kind -> Reader
Reader = Callable[[Turn, str], Awaitable[None]]
# Typed text longer than this is not a search or a question anybody means; it is answered, not processed.
MAX_TEXT = 1000


def expect(user: User, kind: str, detail: str = "") -> None:
    """The user's next text is for `kind` (with `detail`, e.g. which campaign)."""
    user.awaiting = f"{kind}:{detail}" if detail else kind


def awaited(user: User) -> tuple[str, str]:
    """(kind, detail) of what the user's next text is for; ("", "") when nothing is."""
    kind, _, detail = (user.awaiting or "").partition(":")
    return kind, detail


def done(user: User) -> str:
    """Stop waiting; the detail that was kept."""
    detail = awaited(user)[1]
    user.awaiting = None
    return detail


@handles
async def on_text(turn: Turn) -> None:
    message, user = turn.update.effective_message, turn.me
    text = (message.text if message else None) or ""
    if len(text) > MAX_TEXT:
        await turn.reply(turn.t("error.too_long", limit=MAX_TEXT))
        return
    readers: Mapping[str, Reader] = turn.context.bot_data[READERS]
    reader = readers.get(awaited(user)[0]) or readers[""]
    await reader(turn, text)


HANDLERS = [MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text)]

"""Free text in a private chat, routed to whatever reply the bot is waiting for.

An area that asks for typed text (a school's name, a name for a certificate, a broadcast's text) marks
the user with `expect(user, kind, detail)` and lists its reader in `AWAITING` ({kind: reader}); bot/app.py
gathers them into `bot_data`. Text with nothing awaited goes to the reader registered under "" (the
enrollment FAQ). The mark is on the user's row, so a restart does not lose a half-finished flow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from telegram.ext import MessageHandler, filters

from bot.domain import QUESTION_LENGTH
from bot.handlers.base import Turn, handles
from bot.services.enquiry import CANCEL

if TYPE_CHECKING:
    from bot.db.models import User

READERS = "awaiting"  # bot_data key: kind -> Reader
Reader = Callable[[Turn, str], Awaitable[None]]
# A question longer than this is not one anybody means; it is answered, not processed. (A reply the bot
# asked for has its own limit: a broadcast may be 3,500 characters.)
MAX_QUESTION = QUESTION_LENGTH


def expect(user: User, kind: str, detail: str = "") -> None:
    """The user's next text is for `kind` (with `detail`, e.g. which campaign)."""
    user.awaiting = f"{kind}:{detail}" if detail else kind


def awaited(user: User) -> tuple[str, str]:
    """(kind, detail) of what the user's next text is for; ("", "") when nothing is."""
    kind, _, detail = (user.awaiting or "").partition(":")
    return kind, detail


def cancels(text: str) -> bool:
    """Whether `text` typed at a prompt means leaving it (a certificate's name, a rank table's name)."""
    return text.strip().strip("。.!！").lower() in CANCEL


def done(user: User) -> str:
    """Stop waiting; the detail that was kept."""
    detail = awaited(user)[1]
    user.awaiting = None
    return detail


@handles
async def on_text(turn: Turn) -> None:
    await _read(turn)


@handles
async def on_media(turn: Turn) -> None:
    await read_media(turn)


async def read_media(turn: Turn) -> None:
    """A photo, voice note, file, sticker, location …: its caption is read as typed text; without one, the user is
    told that the bot reads text. (An area that takes documents it awaits hands the others here.)"""
    if turn.text.strip():
        await _read(turn)
    else:
        await turn.reply(turn.t("fallback.media"))


async def _read(turn: Turn) -> None:
    text, kind = turn.text, awaited(turn.me)[0]
    readers: Mapping[str, Reader] = turn.context.bot_data[READERS]
    reader = readers.get(kind) if kind else None
    await (reader or as_question)(turn, text)


async def as_question(turn: Turn, text: str) -> None:
    """Text read as an enrollment question (nothing awaited, or a reader's text that is plainly none of
    what it waits for); the reader refuses one longer than MAX_QUESTION."""
    await turn.context.bot_data[READERS][""](turn, text)


# what a message may hold instead of text; a shared location or contact, a poll or a dice had no reply at all
MEDIA = (filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO | filters.VIDEO_NOTE | filters.ANIMATION
         | filters.Document.ALL | filters.Sticker.ALL | filters.LOCATION | filters.CONTACT | filters.POLL
         | filters.Dice.ALL)  # fmt: skip
HANDLERS = [
    MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
    MessageHandler(filters.ChatType.PRIVATE & MEDIA, on_media),
]

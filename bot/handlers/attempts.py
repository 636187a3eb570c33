"""Shared by the areas that start an attempt (quiz, campaign's reading): an attempt under way is offered to carry on
or give up, never dropped without a word."""

from __future__ import annotations

from bot.domain import AttemptMode
from bot.handlers.base import Turn
from bot.views import quiz as views


async def offer_open_attempt(turn: Turn, below: bool = False, unless: AttemptMode | None = None) -> bool:
    """Whether the user has an attempt under way, which is then offered to carry on or give up (a
    campaign's exam says that giving it up spends one of its attempts); `below`: in a new message, not in
    place of the one whose button was pressed (an old one, maybe far up the chat); `unless`: an attempt of this
    mode is none here: what is about to start replaces it (a reading's one question)."""
    found = await turn.services.quiz.open_attempt(turn.session, turn.me)
    if found is None or (unless is not None and found[0].mode == unless.value):
        return False
    await (turn.reply if below else turn.show)(*views.open_attempt_message(turn, *found))
    return True

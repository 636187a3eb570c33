"""Shared by the areas that start an attempt (quiz, campaign's reading): an attempt under way is offered to carry on
or give up, never dropped without a word."""

from __future__ import annotations

from collections.abc import Collection

from bot.domain import AttemptMode
from bot.handlers.base import Turn
from bot.views import quiz as views


async def offer_open_attempt(turn: Turn, below: bool = False, ignoring: Collection[AttemptMode] = ()) -> bool:
    """Whether the user has an attempt under way, which is then offered to carry on or give up (a
    campaign's exam says that giving it up spends one of its attempts); `below`: in a new message, not in
    place of the one whose button was pressed (an old one, maybe far up the chat); `ignoring`: attempts of
    these modes are none here: what is about to start replaces them (a reading's one question)."""
    found = await turn.services.quiz.open_attempt(turn.session, turn.me)
    if found is None or found[0].mode in {mode.value for mode in ignoring}:
        return False
    await (turn.reply if below else turn.show)(*views.open_attempt_message(turn, *found))
    return True

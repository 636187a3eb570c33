"""Scores (四舍五入) and the mistake book, computed from the answers."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from zoneinfo import ZoneInfo


def percent(correct: int, total: int) -> int:
    """Score out of 100, rounded half up (四舍五入: 5 of 8 is 63), not half to even as round() does."""
    return (200 * correct + max(total, 1)) // (2 * max(total, 1))


def mistake_book(history: list[tuple[str, bool, datetime]], tz: ZoneInfo) -> list[str]:
    """Questions answered wrong and not since answered right on two later days (with no mistake in
    between), most recent mistake first. `history` is oldest first."""
    state: dict[str, tuple[dt.date, set[dt.date]]] = {}
    for question_id, correct, at in history:
        day = at.astimezone(tz).date()
        if not correct:
            state.pop(question_id, None)
            state[question_id] = (day, set())
        elif question_id in state and day > state[question_id][0]:
            state[question_id][1].add(day)
    return [qid for qid, (_, days) in reversed(state.items()) if len(days) < 2]

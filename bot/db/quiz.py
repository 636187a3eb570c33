"""Queries for quiz attempts and answers (the mistake book is read from them). Take the session; never
commit."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    DateTime,
    Row,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Attempt, AttemptMode, AttemptQuestion, AttemptStatus, User

OPEN = AttemptStatus.open.value
STAMP = DateTime(timezone=True)


async def open_attempt(session: AsyncSession, *, user_id: int) -> Attempt | None:
    return await session.scalar(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status == OPEN)
        .order_by(Attempt.id.desc())
        .limit(1)
    )


async def abandon_open(session: AsyncSession, *, user_id: int, now: datetime) -> None:
    await session.execute(
        update(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status == OPEN)
        .values(status=AttemptStatus.abandoned.value, finished_at=now)
    )


async def create_attempt(
    session: AsyncSession, *, attempt: Attempt, rows: list[dict[str, object]]
) -> Attempt:
    session.add(attempt)
    await session.flush()
    await session.execute(insert(AttemptQuestion), [dict(row, attempt_id=attempt.id) for row in rows])
    return attempt


async def attempt_with_rows(
    session: AsyncSession, *, attempt_id: int, positions: tuple[int, ...]
) -> tuple[Attempt | None, dict[int, AttemptQuestion]]:
    """The attempt and the rows at `positions`, in one round trip."""
    result = await session.execute(
        select(Attempt, AttemptQuestion)
        .outerjoin(
            AttemptQuestion,
            and_(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.position.in_(positions)),
        )
        .where(Attempt.id == attempt_id)
    )
    attempt, rows = None, {}
    for found, row in result.all():
        attempt = found
        if row is not None:
            rows[row.position] = row
    return attempt, rows


@functools.cache
def _claim_statement() -> Update:
    """Built once: the hot path's statements are reused with new parameters rather than rebuilt."""
    rows, attempts = cast(Table, AttemptQuestion.__table__), cast(Table, Attempt.__table__)
    owner = select(attempts.c.id).where(
        attempts.c.id == bindparam("a"), attempts.c.user_id == bindparam("u"), attempts.c.status == OPEN,
        attempts.c.position == bindparam("p"),
        or_(attempts.c.deadline_at.is_(None), attempts.c.deadline_at >= bindparam("now", type_=STAMP)),
    )  # fmt: skip
    return (
        update(rows)
        .where(rows.c.attempt_id == bindparam("a"), rows.c.position == bindparam("p"),
               rows.c.question_id == bindparam("qid"), rows.c.option_order == bindparam("order"),
               rows.c.answered_at.is_(None), rows.c.attempt_id.in_(owner))
        .values(chosen=bindparam("v_chosen"), correct=bindparam("v_correct"), answered_at=bindparam("now", type_=STAMP))
    )  # fmt: skip


@functools.cache
def _advance_statement() -> Update:
    """Move an attempt past its current question (a challenge also gets the next question's deadline),
    returning the attempt as it now is and its owner's language."""
    attempts, users = cast(Table, Attempt.__table__), cast(Table, User.__table__)
    deadline = case((attempts.c.mode == AttemptMode.challenge.value, bindparam("deadline", type_=STAMP)),
                    else_=attempts.c.deadline_at)  # fmt: skip
    language = select(users.c.language).where(users.c.id == attempts.c.user_id).scalar_subquery()
    return (
        update(attempts).where(attempts.c.id == bindparam("a"))
        .values(position=attempts.c.position + 1, correct=attempts.c.correct + bindparam("inc"), deadline_at=deadline)
        .returning(*attempts.c, language.label("language"))
    )  # fmt: skip


@functools.cache
def _claim_and_advance_statement() -> Update:
    """PostgreSQL: the claim and the advance in one statement (a data-modifying WITH)."""
    claimed = _claim_statement().returning(cast(Table, AttemptQuestion.__table__).c.attempt_id).cte("claimed")
    advance = _advance_statement()
    return advance.where(advance.table.c.id == claimed.c.attempt_id)  # type: ignore[attr-defined]


async def record_answer(
    session: AsyncSession,
    *,
    user_id: int,
    attempt_id: int,
    position: int,
    question_id: str,
    option_order: str,
    chosen: str,
    correct: bool,
    now: datetime,
    challenge_deadline: datetime,
) -> Row[Any] | None:
    """Record the answer if, and only if, this is the user's open attempt, at this position, showing this
    question in this order, before its deadline, and not answered yet; then move the attempt on.

    Returns the attempt's row as it now is, with the owner's `language` (so answering needs no user
    lookup), or None when nothing was recorded (find out why with `attempt_with_rows`). One statement on
    PostgreSQL; two on SQLite, which has no data-modifying WITH."""
    params = {"a": attempt_id, "u": user_id, "p": position, "qid": question_id, "order": option_order,
              "v_chosen": chosen, "v_correct": correct, "now": now, "inc": int(correct),
              "deadline": challenge_deadline}  # fmt: skip
    conn = await session.connection()  # Core statements: the ORM session's machinery is not needed
    if conn.dialect.name == "postgresql":
        return (await conn.execute(_claim_and_advance_statement(), params)).one_or_none()
    if (await conn.execute(_claim_statement(), params)).rowcount != 1:
        return None
    return (await conn.execute(_advance_statement(), params)).one()


async def record_late(
    session: AsyncSession, *, attempt_id: int, position: int, chosen: str, now: datetime
) -> bool:
    """A challenge answer after the question's deadline: kept, counted wrong."""
    result = await session.execute(
        update(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == position,
               AttemptQuestion.answered_at.is_(None))
        .values(chosen=chosen, correct=False, answered_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return result.rowcount == 1  # type: ignore[attr-defined]


async def advance(
    session: AsyncSession, *, attempt_id: int, correct: bool, challenge_deadline: datetime
) -> Row[Any]:
    """Move the attempt past the answered question (after a late answer); returns the attempt's row as
    it now is, with the owner's `language`."""
    params = {"a": attempt_id, "inc": int(correct), "deadline": challenge_deadline}
    return (await session.execute(_advance_statement(), params)).one()


async def row_at(session: AsyncSession, *, attempt_id: int, position: int) -> AttemptQuestion | None:
    return await session.get(AttemptQuestion, (attempt_id, position))


async def claim_shown(session: AsyncSession, *, attempt_id: int, position: int) -> bool:
    """Mark question `position` as sent unless it was; True for the one call that marks it."""
    result = await session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.shown == position, Attempt.position >= position)
        .values(shown=position + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


@functools.cache
def _finish_statement() -> Update:
    attempts = cast(Table, Attempt.__table__)
    return (
        update(attempts).where(attempts.c.id == bindparam("a"), attempts.c.status == OPEN)
        .values(status=bindparam("status"), score=bindparam("score"), seconds=bindparam("seconds"),
                finished_at=bindparam("now", type_=STAMP))
    )  # fmt: skip


async def finish(
    session: AsyncSession, *, attempt_id: int, status: AttemptStatus, score: int, seconds: int, now: datetime
) -> bool:
    """Close an open attempt; True for the one call that closes it."""
    params = {"a": attempt_id, "status": status.value, "score": score, "seconds": seconds, "now": now}
    result = await session.execute(_finish_statement(), params)
    return result.rowcount == 1  # type: ignore[attr-defined]


@functools.cache
def _rows_statement() -> Select[Any]:
    rows = cast(Table, AttemptQuestion.__table__)
    return select(rows).where(rows.c.attempt_id == bindparam("a")).order_by(rows.c.position)


async def answered_rows(session: AsyncSession, *, attempt_id: int) -> list[Row[Any]]:
    """Every question row of the attempt (answered or not), in order."""
    return list((await session.execute(_rows_statement(), {"a": attempt_id})).all())


async def due_attempts(session: AsyncSession, *, now: datetime, limit: int = 200) -> list[Attempt]:
    result = await session.scalars(
        select(Attempt)
        .where(Attempt.status == OPEN, Attempt.deadline_at < now)
        .order_by(Attempt.deadline_at)
        .limit(limit)
    )
    return list(result.all())


# -- mistake book ---------------------------------------------------------------------------------------


async def answer_history(session: AsyncSession, *, user_id: int) -> list[tuple[str, bool, datetime]]:
    """(question id, correct, when) of every answer the user gave, oldest first: the mistake book's source."""
    rows, attempts = cast(Table, AttemptQuestion.__table__), cast(Table, Attempt.__table__)
    result = await session.execute(
        select(rows.c.question_id, rows.c.correct, rows.c.answered_at)
        .join(attempts, attempts.c.id == rows.c.attempt_id)
        .where(attempts.c.user_id == user_id, rows.c.answered_at.is_not(None))
        .order_by(rows.c.answered_at)
    )
    return [(qid, bool(correct), at) for qid, correct, at in result.all()]


# -- scores ---------------------------------------------------------------------------------------------


async def recent_attempts(session: AsyncSession, *, user_id: int, limit: int = 5) -> list[Attempt]:
    result = await session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status.in_(["finished", "expired"]))
        .order_by(Attempt.finished_at.desc())
        .limit(limit)
    )
    return list(result.all())


async def best_scores(session: AsyncSession, *, user_id: int) -> list[tuple[str | None, str, int, int]]:
    """(law, mode, best score, attempts) per law and mode of the user's finished attempts."""
    result = await session.execute(
        select(Attempt.law, Attempt.mode, func.max(Attempt.score), func.count())
        .where(Attempt.user_id == user_id, Attempt.status.in_(["finished", "expired"]),
               Attempt.mode != AttemptMode.review.value)
        .group_by(Attempt.law, Attempt.mode)
    )  # fmt: skip
    return [(law, mode, best or 0, count) for law, mode, best, count in result.all()]


async def campaign_attempts(session: AsyncSession, *, user_id: int, campaign_id: str) -> int:
    """Attempts the user has started in a campaign (abandoning one does not give it back)."""
    result = await session.scalar(
        select(func.count())
        .select_from(Attempt)
        .where(Attempt.user_id == user_id, Attempt.campaign_id == campaign_id)
    )
    return int(result or 0)

"""Queries for quiz attempts, answers and the mistake book. Take the session; never commit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Attempt, AttemptMode, AttemptQuestion, AttemptStatus, Mistake

OPEN = AttemptStatus.open.value


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


async def claim_answer(
    session: AsyncSession, *, attempt_id: int, position: int, chosen: str, correct: bool, now: datetime
) -> bool:
    """Record the answer unless one is recorded already; True for the one call that records it."""
    result = await session.execute(
        update(AttemptQuestion)
        .where(
            AttemptQuestion.attempt_id == attempt_id,
            AttemptQuestion.position == position,
            AttemptQuestion.answered_at.is_(None),
        )
        .values(chosen=chosen, correct=correct, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def advance(
    session: AsyncSession, *, attempt_id: int, correct: bool, deadline: datetime | None
) -> None:
    values: dict[str, object] = {"position": Attempt.position + 1, "correct": Attempt.correct + int(correct)}
    if deadline is not None:
        values["deadline_at"] = deadline
    await session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def claim_shown(session: AsyncSession, *, attempt_id: int, position: int) -> bool:
    """Mark question `position` as sent unless it was; True for the one call that marks it."""
    result = await session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.shown == position, Attempt.position >= position)
        .values(shown=position + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def set_picks(session: AsyncSession, *, attempt_id: int, position: int, picks: str) -> None:
    await session.execute(
        update(AttemptQuestion)
        .where(
            AttemptQuestion.attempt_id == attempt_id,
            AttemptQuestion.position == position,
            AttemptQuestion.answered_at.is_(None),
        )
        .values(picks=picks)
        .execution_options(synchronize_session=False)
    )


async def set_message(session: AsyncSession, *, attempt_id: int, position: int, message_id: int) -> None:
    await session.execute(
        update(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == position)
        .values(message_id=message_id)
        .execution_options(synchronize_session=False)
    )


async def finish(
    session: AsyncSession, *, attempt_id: int, status: AttemptStatus, score: int, now: datetime
) -> bool:
    """Close an open attempt; True for the one call that closes it."""
    result = await session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.status == OPEN)
        .values(status=status.value, score=score, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def answered_rows(session: AsyncSession, *, attempt_id: int) -> list[AttemptQuestion]:
    result = await session.scalars(
        select(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt_id)
        .order_by(AttemptQuestion.position)
    )
    return list(result.all())


async def due_attempts(session: AsyncSession, *, now: datetime, limit: int = 200) -> list[Attempt]:
    result = await session.scalars(
        select(Attempt)
        .where(Attempt.status == OPEN, Attempt.deadline_at < now)
        .order_by(Attempt.deadline_at)
        .limit(limit)
    )
    return list(result.all())


# -- mistake book ---------------------------------------------------------------------------------------


async def note_mistake(session: AsyncSession, *, user_id: int, question_id: str, today: date) -> None:
    """Put the question in the book (or back to the start of its streak)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert_(Mistake).values(
        user_id=user_id, question_id=question_id, wrong_count=1, streak=0, last_wrong_on=today
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Mistake.user_id, Mistake.question_id],
        set_={
            "wrong_count": Mistake.wrong_count + 1,
            "streak": 0,
            "last_wrong_on": today,
            "last_correct_on": None,
        },
    )
    await session.execute(statement)


async def note_correct(session: AsyncSession, *, user_id: int, question_id: str, today: date) -> None:
    """A correct answer on a later day than the last mistake and the last correct answer counts towards
    leaving the book; the second such day removes the question."""
    later_day = and_(
        Mistake.user_id == user_id,
        Mistake.question_id == question_id,
        Mistake.last_wrong_on < today,
        (Mistake.last_correct_on.is_(None)) | (Mistake.last_correct_on < today),
    )
    await session.execute(delete(Mistake).where(later_day, Mistake.streak >= 1))
    await session.execute(
        update(Mistake).where(later_day).values(streak=Mistake.streak + 1, last_correct_on=today)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


async def mistake_ids(session: AsyncSession, *, user_id: int, among: list[str] | None = None) -> list[str]:
    query = select(Mistake.question_id).where(Mistake.user_id == user_id)
    if among is not None:
        query = query.where(Mistake.question_id.in_(among))
    return list((await session.scalars(query.order_by(Mistake.last_wrong_on.desc()))).all())


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

"""Queries for quiz attempts and answers (the mistake book is read from them). Take the session; never
commit."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Row,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Attempt, AttemptQuestion, SpentAttempts, User, UtcDateTime
from bot.domain import AttemptMode, AttemptStatus, BestScore

OPEN = AttemptStatus.open.value
STAMP = UtcDateTime()


async def open_attempt(session: AsyncSession, *, user_id: int) -> Attempt | None:
    return await session.scalar(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status == OPEN)
        .order_by(Attempt.id.desc())
        .limit(1)
    )


async def abandon_open(session: AsyncSession, *, user_id: int, now: datetime) -> list[tuple[str | None, str]]:
    """Abandon the user's open attempts: the campaign (None: practice) and mode of each."""
    abandoned = await session.execute(
        update(Attempt)
        .where(Attempt.user_id == user_id, Attempt.status == OPEN)
        .values(status=AttemptStatus.abandoned.value, finished_at=now)
        .returning(Attempt.campaign_id, Attempt.mode)
    )
    return [(campaign_id, mode) for campaign_id, mode in abandoned.all()]


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


ATTEMPT_FIELDS = (
    "user_id",
    "mode",
    "law",
    "campaign_id",
    "total",
    "started_at",
    "deadline_at",
    "pass_mark",
    "excellent_mark",
)


@functools.cache
def _record_statement() -> Update:
    """The hot path's one statement, built once and reused with new parameters.

    It writes the answer row only where everything the button claims is true: the user's open attempt,
    before its deadline (a challenge's: 30 s after the previous answer, or the start), the row at this
    position showing this question in this order, unanswered, with the row before it answered (questions
    are answered in order, so that makes it the current one). It returns the attempt's fields, the
    user's language and the next question's row, read by subqueries, so nothing else needs to be read."""
    rows, attempts, users = (cast(Table, m.__table__) for m in (AttemptQuestion, Attempt, User))
    before = rows.alias("before")
    previous = before.c.attempt_id == bindparam("a"), before.c.position == bindparam("p") - 1
    last_answer = select(before.c.answered_at).where(*previous).scalar_subquery()
    owner = select(attempts.c.id).where(
        attempts.c.id == bindparam("a"), attempts.c.user_id == bindparam("u"), attempts.c.status == OPEN,
        or_(attempts.c.deadline_at.is_(None), attempts.c.deadline_at >= bindparam("now", type_=STAMP)),
        or_(attempts.c.mode != AttemptMode.challenge.value,
            func.coalesce(last_answer, attempts.c.started_at) >= bindparam("cutoff", type_=STAMP)),
    )  # fmt: skip
    skipped = select(before.c.position).where(*previous, before.c.answered_at.is_(None))
    # What comes back is read by the parameters (a row is returned only if the attempt is :a and its
    # owner :u), not by correlation: SQLite renders RETURNING without table names.
    field = lambda name: select(attempts.c[name]).where(attempts.c.id == bindparam("a")).scalar_subquery()  # noqa: E731
    language = select(users.c.language).where(users.c.id == bindparam("u")).scalar_subquery()
    after = rows.alias("after")
    upcoming = lambda name: select(after.c[name]).where(  # noqa: E731
        after.c.attempt_id == bindparam("a"), after.c.position == bindparam("p") + 1).scalar_subquery()  # fmt: skip
    return (
        update(rows)
        .where(rows.c.attempt_id == bindparam("a"), rows.c.position == bindparam("p"),
               rows.c.question_id == bindparam("qid"), rows.c.option_order == bindparam("order"),
               rows.c.answered_at.is_(None), rows.c.attempt_id.in_(owner), ~skipped.exists())
        .values(chosen=bindparam("v_chosen"), correct=bindparam("v_correct"), answered_at=bindparam("now", type_=STAMP))
        .returning(rows.c.attempt_id.label("id"), *(field(name).label(name) for name in ATTEMPT_FIELDS),
                   language.label("language"), upcoming("question_id").label("next_question_id"),
                   upcoming("option_order").label("next_option_order"))
    )  # fmt: skip


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
    challenge_cutoff: datetime,
) -> Row[Any] | None:
    """Record the answer if, and only if, this is the user's open attempt, at this position (the first
    unanswered), showing this question in this order, before its deadline (for a challenge: the previous
    answer, or the start, came after `challenge_cutoff`). One statement.

    Returns the attempt's fields with the user's `language` (so answering needs no user lookup) and the
    next question's `next_question_id` and `next_option_order` (None after the last), or None when
    nothing was recorded (find out why with `attempt_with_rows`)."""
    params = {"a": attempt_id, "u": user_id, "p": position, "qid": question_id, "order": option_order,
              "v_chosen": chosen, "v_correct": correct, "now": now, "cutoff": challenge_cutoff}  # fmt: skip
    conn = await session.connection()  # a Core statement: the ORM session's machinery is not needed
    return (await conn.execute(_record_statement(), params)).one_or_none()


async def record_late(
    session: AsyncSession, *, attempt_id: int, position: int, chosen: str, now: datetime
) -> bool:
    """A challenge answer after the question's time ran out: kept, counted wrong."""
    result = await session.execute(
        update(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == position,
               AttemptQuestion.answered_at.is_(None))
        .values(chosen=chosen, correct=False, answered_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return result.rowcount == 1  # type: ignore[attr-defined]


async def answered_count(session: AsyncSession, *, attempt_id: int) -> int:
    """How many questions of the attempt are answered: the position of the current one."""
    result = await session.scalar(
        select(func.count())
        .select_from(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.answered_at.is_not(None))
    )
    return int(result or 0)


async def row_at(session: AsyncSession, *, attempt_id: int, position: int) -> AttemptQuestion | None:
    return await session.get(AttemptQuestion, (attempt_id, position))


async def note_shown(session: AsyncSession, *, attempt_id: int, position: int, now: datetime) -> None:
    """Question `position` was sent again (resumed): the ones before it count as sent, so that its
    下一题 claims the next."""
    await session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.shown < position + 1)
        .values(shown=position + 1, shown_at=now)
        .execution_options(synchronize_session=False)
    )


async def claim_shown(session: AsyncSession, *, attempt_id: int, position: int, now: datetime) -> bool:
    """Mark question `position` as sent (at `now`) unless it was, once the one before it is answered; True
    for the one call that marks it."""
    before = select(AttemptQuestion.position).where(
        AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == position - 1,
        AttemptQuestion.answered_at.is_not(None),
    )  # fmt: skip
    result = await session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.shown == position, before.exists())
        .values(shown=position + 1, shown_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def sent_again(
    session: AsyncSession, *, attempt_id: int, position: int, sent: datetime, now: datetime
) -> bool:
    """Question `position`, last sent at `sent`, is sent again at `now`: True for the one call that marks it."""
    result = await session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.shown == position + 1, Attempt.shown_at == sent)
        .values(shown_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


@functools.cache
def _finish_statement() -> Update:
    attempts = cast(Table, Attempt.__table__)
    return (
        update(attempts).where(attempts.c.id == bindparam("a"), attempts.c.status == OPEN)
        .values(status=bindparam("status"), correct=bindparam("correct"), score=bindparam("score"),
                seconds=bindparam("seconds"), finished_at=bindparam("now", type_=STAMP))
    )  # fmt: skip


async def finish(
    session: AsyncSession,
    *,
    attempt_id: int,
    status: AttemptStatus,
    correct: int,
    score: int,
    seconds: int,
    now: datetime,
) -> bool:
    """Close an open attempt with its result; True for the one call that closes it."""
    params = {"a": attempt_id, "status": status.value, "correct": correct, "score": score, "seconds": seconds,
              "now": now}  # fmt: skip
    result = await session.execute(_finish_statement(), params)
    return result.rowcount == 1  # type: ignore[attr-defined]


@functools.cache
def _rows_statement() -> Select[Any]:
    rows = cast(Table, AttemptQuestion.__table__)
    return select(rows).where(rows.c.attempt_id == bindparam("a")).order_by(rows.c.position)


async def question_rows(session: AsyncSession, *, attempt_id: int) -> list[Row[Any]]:
    """Every question row of the attempt (answered or not), in order."""
    return list((await session.execute(_rows_statement(), {"a": attempt_id})).all())


async def due_attempts(
    session: AsyncSession,
    *,
    now: datetime,
    challenge_cutoff: datetime,
    limit: int = 200,
    user_id: int | None = None,
) -> list[Attempt]:
    """Open attempts whose time ran out (`user_id`: that user's only): past their deadline (exams), or
    challenges whose last answer (or start) came before `challenge_cutoff`."""
    last_answer = (
        select(func.max(AttemptQuestion.answered_at))
        .where(AttemptQuestion.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    idle = and_(Attempt.mode == AttemptMode.challenge.value,
                func.coalesce(last_answer, Attempt.started_at) < challenge_cutoff)  # fmt: skip
    query = select(Attempt).where(Attempt.status == OPEN, or_(Attempt.deadline_at < now, idle))
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    result = await session.scalars(query.order_by(Attempt.id).limit(limit))
    return list(result.all())


# -- mistake book ---------------------------------------------------------------------------------------


async def answer_history(
    session: AsyncSession, *, user_id: int, hidden_campaigns: frozenset[str] = frozenset()
) -> list[tuple[str, bool, datetime]]:
    """(question id, correct, when) of every answer the user gave, oldest first: the mistake book's source.
    Campaign answers count once their attempt has ended, and not for `hidden_campaigns` (whose correct
    answers are not to be shown yet); a practice mock exam's once it was handed in or timed out, when its
    answers are shown (an abandoned one's, or one under way's, had joined: a pupils' pass)."""
    rows, attempts = cast(Table, AttemptQuestion.__table__), cast(Table, Attempt.__table__)
    campaign, status = attempts.c.campaign_id, attempts.c.status
    shown = and_(
        campaign.is_not(None), status != AttemptStatus.open.value, campaign.not_in(sorted(hidden_campaigns))
    )
    ended = status.in_([AttemptStatus.finished.value, AttemptStatus.expired.value])
    practice = and_(campaign.is_(None), or_(attempts.c.mode != AttemptMode.exam.value, ended))
    result = await session.execute(
        select(rows.c.question_id, rows.c.correct, rows.c.answered_at)
        .join(attempts, attempts.c.id == rows.c.attempt_id)
        .where(attempts.c.user_id == user_id, rows.c.answered_at.is_not(None), or_(practice, shown))
        .order_by(rows.c.answered_at)
    )
    return [(qid, bool(correct), at) for qid, correct, at in result.all()]


# -- scores ---------------------------------------------------------------------------------------------


async def recent_attempts(session: AsyncSession, *, user_id: int, limit: int = 5) -> list[Attempt]:
    result = await session.scalars(
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.status.in_(["finished", "expired"]),
            Attempt.mode != AttemptMode.reading.value,
        )
        .order_by(Attempt.finished_at.desc())
        .limit(limit)
    )
    return list(result.all())


async def best_scores(session: AsyncSession, *, user_id: int) -> list[BestScore]:
    """The best score per law and mode of the user's finished attempts, a campaign's apart."""
    result = await session.execute(
        select(Attempt.law, Attempt.mode, func.max(Attempt.score), func.count(), Attempt.campaign_id)
        .where(Attempt.user_id == user_id, Attempt.status.in_(["finished", "expired"]),
               Attempt.mode.notin_([AttemptMode.review.value, AttemptMode.reading.value]))
        .group_by(Attempt.law, Attempt.mode, Attempt.campaign_id)
    )  # fmt: skip
    return [
        BestScore(law, mode, best or 0, count, campaign) for law, mode, best, count, campaign in result.all()
    ]


async def campaigns_attempted(session: AsyncSession, *, user_id: int) -> dict[str, int]:
    """Campaign id → attempts the user has started in it."""
    result = await session.execute(
        select(Attempt.campaign_id, func.count())
        .where(Attempt.user_id == user_id, Attempt.campaign_id.is_not(None))
        .group_by(Attempt.campaign_id)
    )
    return {str(campaign): int(n) for campaign, n in result.all()}


async def counted_attempt(
    session: AsyncSession, *, user_id: int, campaign_id: str, counts: str
) -> Attempt | None:
    """The user's ended attempt that counts in a campaign: the best (earliest of equals) or the last."""
    order = (
        (Attempt.finished_at.desc(), Attempt.id.desc())
        if counts == "last"
        else (Attempt.score.desc(), Attempt.finished_at.asc(), Attempt.id.asc())
    )
    return await session.scalar(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.campaign_id == campaign_id,
               Attempt.status.in_([AttemptStatus.finished.value, AttemptStatus.expired.value]))
        .order_by(*order)
        .limit(1)
    )  # fmt: skip


async def campaign_attempts(session: AsyncSession, *, user_id: int, campaign_id: str) -> int:
    """Attempts the user has started in a campaign (abandoning one does not give it back, nor does erasing
    their data: `keep_spent`)."""
    started = (
        select(func.count())
        .select_from(Attempt)
        .where(Attempt.user_id == user_id, Attempt.campaign_id == campaign_id)
        .scalar_subquery()
    )
    spent = (
        select(func.coalesce(func.sum(SpentAttempts.used), 0))
        .where(SpentAttempts.user_id == user_id, SpentAttempts.campaign_id == campaign_id)
        .scalar_subquery()
    )
    return int(await session.scalar(select(started + spent)) or 0)


async def keep_spent(
    session: AsyncSession, *, user_id: int, until: Mapping[str, datetime], now: datetime
) -> None:
    """Before the user's data is erased: the attempts they have started in each campaign of `until` (its
    end), kept by Telegram id alone until then; rows of campaigns that have ended go."""
    await session.execute(delete(SpentAttempts).where(SpentAttempts.until <= now))
    for campaign_id, end in until.items():
        used = await campaign_attempts(session, user_id=user_id, campaign_id=campaign_id)
        if not used:
            continue
        await session.execute(
            delete(SpentAttempts).where(
                SpentAttempts.user_id == user_id, SpentAttempts.campaign_id == campaign_id
            )
        )
        session.add(SpentAttempts(campaign_id=campaign_id, user_id=user_id, used=used, until=end))
    await session.flush()

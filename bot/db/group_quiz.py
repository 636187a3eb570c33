"""Queries for group quiz rounds, their polls and members' answers. Take the session; never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GroupAnswer, GroupPoll, GroupRound
from bot.db.session import dialect_insert
from bot.domain import AttemptStatus

OPEN = AttemptStatus.open.value
FINISHED = AttemptStatus.finished.value


async def round_by_id(session: AsyncSession, round_id: int) -> GroupRound | None:
    return await session.get(GroupRound, round_id)


async def open_round(session: AsyncSession, *, chat_id: int) -> GroupRound | None:
    return await session.scalar(
        select(GroupRound).where(GroupRound.chat_id == chat_id, GroupRound.status == OPEN)
    )


async def last_finished(session: AsyncSession, *, chat_id: int) -> GroupRound | None:
    return await session.scalar(
        select(GroupRound).where(GroupRound.chat_id == chat_id, GroupRound.status == FINISHED)
        .order_by(GroupRound.id.desc()).limit(1)
    )  # fmt: skip


async def due_rounds(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[GroupRound]:
    result = await session.scalars(
        select(GroupRound).where(GroupRound.status == OPEN, GroupRound.next_at <= now).limit(limit)
    )
    return list(result.all())


async def claim_step(session: AsyncSession, *, round_id: int, sent: int, next_at: datetime) -> bool:
    """Move an open round past step `sent` unless another worker did; True for the one that does."""
    claimed = await session.execute(
        update(GroupRound)
        .where(GroupRound.id == round_id, GroupRound.sent == sent, GroupRound.status == OPEN)
        .values(sent=GroupRound.sent + 1, next_at=next_at)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


async def finish_round(session: AsyncSession, *, round_id: int, now: datetime) -> None:
    await session.execute(
        update(GroupRound).where(GroupRound.id == round_id)
        .values(status=FINISHED, finished_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


async def move_chat(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> int:
    """The group's rounds, under the id Telegram gave it when it became a supergroup; how many moved."""
    moved = await session.execute(
        update(GroupRound).where(GroupRound.chat_id == old_chat_id)
        .values(chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return int(moved.rowcount or 0)  # type: ignore[attr-defined]


def add_poll(session: AsyncSession, poll: GroupPoll) -> None:
    session.add(poll)


async def poll(session: AsyncSession, *, poll_id: str) -> GroupPoll | None:
    return await session.get(GroupPoll, poll_id)


async def add_answer_once(
    session: AsyncSession, *, poll_id: str, user_id: int, name: str, correct: bool, now: datetime
) -> bool:
    """A member's answer to a poll, kept once (a repeat changes nothing); True if it was new."""
    statement = dialect_insert(session, GroupAnswer).values(
        poll_id=poll_id, user_id=user_id, name=name, correct=correct, answered_at=now
    ).on_conflict_do_nothing()  # fmt: skip
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def round_results(session: AsyncSession, *, round_id: int) -> list[tuple[Any, ...]]:
    """(user id, masked name, right answers, answers, last answer time) per member who answered."""
    correct = func.sum(case((GroupAnswer.correct, 1), else_=0))
    result = await session.execute(
        select(GroupAnswer.user_id, func.max(GroupAnswer.name), correct, func.count(), func.max(GroupAnswer.answered_at))
        .join(GroupPoll, GroupPoll.poll_id == GroupAnswer.poll_id)
        .where(GroupPoll.round_id == round_id)
        .group_by(GroupAnswer.user_id)
    )  # fmt: skip
    return [tuple(row) for row in result.all()]

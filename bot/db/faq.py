"""Queries for the FAQ's unanswered questions, curators' added wordings and votes. Take the session;
never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FaqAlternate, FaqQuery, FaqVote
from bot.db.session import dialect_insert


async def query(session: AsyncSession, query_id: int) -> FaqQuery | None:
    return await session.get(FaqQuery, query_id)


async def set_curator_message(session: AsyncSession, *, query_id: int, chat_id: int, message_id: int) -> None:
    await session.execute(
        update(FaqQuery)
        .where(FaqQuery.id == query_id)
        .values(curator_chat_id=chat_id, curator_message_id=message_id)
    )


async def query_by_curator_message(
    session: AsyncSession, *, chat_id: int, message_id: int
) -> FaqQuery | None:
    """The question posted as that message of that group (a question posted before the group was
    recorded, by revision 0016, is matched by none: its message id may be another group's)."""
    return await session.scalar(
        select(FaqQuery).where(FaqQuery.curator_chat_id == chat_id, FaqQuery.curator_message_id == message_id)
    )


async def alternate(session: AsyncSession, *, entry_id: str, text: str) -> FaqAlternate | None:
    return await session.scalar(
        select(FaqAlternate).where(FaqAlternate.entry_id == entry_id, FaqAlternate.text == text)
    )


def add_alternate(session: AsyncSession, alternate: FaqAlternate) -> None:
    session.add(alternate)


async def alternates(session: AsyncSession) -> list[FaqAlternate]:
    """Every curator-added wording, oldest first."""
    return list((await session.scalars(select(FaqAlternate).order_by(FaqAlternate.id))).all())


async def mark_written(session: AsyncSession, *, ids: list[int], now: datetime) -> None:
    await session.execute(update(FaqAlternate).where(FaqAlternate.id.in_(ids)).values(written_at=now))


async def unanswered(session: AsyncSession, *, limit: int) -> list[tuple[Any, ...]]:
    """(normalised wording, times asked, an example, last asked) of questions nobody has replied to yet,
    most asked first."""
    result = await session.execute(
        select(FaqQuery.normalized, func.count(), func.min(FaqQuery.text), func.max(FaqQuery.created_at))
        .where(FaqQuery.replied_at.is_(None))
        .group_by(FaqQuery.normalized)
        .order_by(func.count().desc(), func.max(FaqQuery.created_at).desc())
        .limit(limit)
    )
    return [tuple(row) for row in result.all()]


async def vote(
    session: AsyncSession, *, user_id: int, entry_id: str, helpful: bool, now: datetime
) -> tuple[bool, datetime] | None:
    """A user's vote on an entry; a second vote replaces the first. The vote it replaced (helpful, when),
    if any."""
    previous = (
        await session.execute(
            select(FaqVote.helpful, FaqVote.created_at).where(
                FaqVote.user_id == user_id, FaqVote.entry_id == entry_id
            )
        )
    ).first()
    statement = dialect_insert(session, FaqVote).values(
        user_id=user_id, entry_id=entry_id, helpful=helpful, created_at=now
    )
    await session.execute(statement.on_conflict_do_update(
        index_elements=[FaqVote.user_id, FaqVote.entry_id], set_={"helpful": helpful, "created_at": now}))  # fmt: skip
    return (previous.helpful, previous.created_at) if previous is not None else None

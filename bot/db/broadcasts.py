"""Queries for broadcasts and their deliveries. Take the session; never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.followup import reminded_by
from bot.db.models import Broadcast, BroadcastDelivery, User
from bot.db.session import insert_once
from bot.domain import Role


def _audience(kind: str, value: str) -> ColumnElement[bool]:
    """Active users of an audience: all, staff, students, a school (`value` its id), a grade, or those a
    /remind chose (`value` the broadcast's id; bot/db/followup.py)."""
    base = User.active.is_(True)
    if kind == "staff":
        return base & (User.role == Role.staff)
    if kind == "students":
        return base & (User.role == Role.student)
    if kind == "school":
        return base & (User.school_id == value)
    if kind == "remind":
        return base & reminded_by(int(value))
    if kind == "grade":
        return base & (User.role == Role.student) & (User.grade == int(value))
    return base


async def get(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def count(session: AsyncSession, *, kind: str, value: str) -> int:
    """How many active users the audience holds."""
    query = select(func.count()).select_from(User).where(_audience(kind, value))
    return int(await session.scalar(query) or 0)


async def sending(session: AsyncSession) -> list[Broadcast]:
    return list((await session.scalars(select(Broadcast).where(Broadcast.status == "sending"))).all())


async def next_recipients(
    session: AsyncSession, *, broadcast_id: int, kind: str, value: str, limit: int
) -> list[tuple[int, str]]:
    """Active users of the audience with no delivery recorded yet, in id order: (user id, language)."""
    done = select(BroadcastDelivery.user_id).where(BroadcastDelivery.broadcast_id == broadcast_id)
    query = (
        select(User.id, User.language)
        .where(_audience(kind, value), User.id.not_in(done))
        .order_by(User.id)
        .limit(limit)
    )
    return [(uid, lang) for uid, lang in (await session.execute(query)).all()]


async def claim(session: AsyncSession, *, broadcast_id: int, user_id: int, now: datetime) -> bool:
    """Record a delivery before it is sent; True for the one call that records it."""
    return await insert_once(
        session, BroadcastDelivery, broadcast_id=broadcast_id, user_id=user_id, status="sending", at=now
    )


async def record(
    session: AsyncSession, *, broadcast_id: int, user_id: int, status: str, now: datetime
) -> None:
    await session.execute(
        update(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id, BroadcastDelivery.user_id == user_id)
        .values(status=status, at=now)
    )  # fmt: skip


async def finish(
    session: AsyncSession, *, broadcast_id: int, now: datetime, settled_before: datetime
) -> bool:
    """Mark a broadcast being sent as done, unless a delivery claimed after `settled_before` is still being
    sent (by another worker); True for the one call that does."""
    in_flight = select(BroadcastDelivery.user_id).where(
        BroadcastDelivery.broadcast_id == broadcast_id, BroadcastDelivery.status == "sending",
        BroadcastDelivery.at > settled_before,
    )  # fmt: skip
    result = await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.status == "sending",
                                                           ~in_flight.exists())
                                   .values(status="done", finished_at=now))  # fmt: skip
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def status_counts(session: AsyncSession, *, broadcast_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(BroadcastDelivery.status, func.count()).where(BroadcastDelivery.broadcast_id == broadcast_id)
        .group_by(BroadcastDelivery.status)
    )  # fmt: skip
    return {status: int(n) for status, n in rows.all()}

"""Queries for the dashboard's one-time login links. Take the session; never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DashboardLogin


def add_login(
    session: AsyncSession, *, token_hash: str, user_id: int, now: datetime, expires_at: datetime
) -> None:
    session.add(DashboardLogin(token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at))


async def use_login(session: AsyncSession, *, token_hash: str, now: datetime) -> int | None:
    """Mark the link used, in one statement, if it is unused and not expired; its user's id, or None.
    One UPDATE … WHERE used_at IS NULL: two requests racing with the same link cannot both win."""
    result = await session.execute(
        update(DashboardLogin)
        .where(DashboardLogin.token_hash == token_hash, DashboardLogin.used_at.is_(None),
               DashboardLogin.expires_at > now)
        .values(used_at=now)
        .returning(DashboardLogin.user_id)
    )  # fmt: skip
    row = result.first()
    return int(row[0]) if row else None


async def forget_old_logins(session: AsyncSession, *, before: datetime) -> None:
    await session.execute(delete(DashboardLogin).where(DashboardLogin.expires_at < before))

"""Queries for admin grants and the audit log. Take the session; never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry, Grant


async def active_grants(session: AsyncSession, *, user_id: int) -> Sequence[Grant]:
    return (
        await session.scalars(select(Grant).where(Grant.user_id == user_id, Grant.revoked_at.is_(None)))
    ).all()


def add_grant(session: AsyncSession, grant: Grant) -> None:
    session.add(grant)


async def revoke(
    session: AsyncSession,
    *,
    user_id: int,
    scope: str,
    school_id: str | None,
    grade: int | None,
    class_no: int | None,
    now: datetime,
) -> int:
    """Revoke the user's active grants of exactly this scope; returns how many there were."""
    result = await session.execute(
        update(Grant)
        .where(Grant.user_id == user_id, Grant.scope == scope,
               Grant.school_id.is_(None) if school_id is None else Grant.school_id == school_id,
               Grant.grade.is_(None) if grade is None else Grant.grade == grade,
               Grant.class_no.is_(None) if class_no is None else Grant.class_no == class_no,
               Grant.revoked_at.is_(None))
        .values(revoked_at=now)
    )  # fmt: skip
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def add_audit(session: AsyncSession, *, actor: int, action: str, detail: str, now: datetime) -> None:
    session.add(AuditEntry(actor=actor, action=action, detail=detail[:200], created_at=now))

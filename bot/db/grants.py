"""Queries for admin grants and the audit log. Take the session; never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry, AuditSchool, Grant, Invite


async def active_grants(session: AsyncSession, *, user_id: int) -> Sequence[Grant]:
    return (
        await session.scalars(select(Grant).where(Grant.user_id == user_id, Grant.revoked_at.is_(None)))
    ).all()


async def delete_user_grants(session: AsyncSession, *, user_id: int) -> list[Grant]:
    """Delete every grant the user holds, active or revoked (/deleteme); returns the active ones."""
    held = (await session.scalars(select(Grant).where(Grant.user_id == user_id))).all()
    await session.execute(delete(Grant).where(Grant.user_id == user_id))
    return [g for g in held if g.revoked_at is None]


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


async def add_audit(
    session: AsyncSession,
    *,
    actor: int,
    action: str,
    detail: str,
    now: datetime,
    schools: Collection[str | None] = (),
) -> None:
    """An audit entry, and the schools it concerns (None and none: the whole district, or no school)."""
    entry = AuditEntry(actor=actor, action=action, detail=detail[:200], created_at=now)
    session.add(entry)
    if concerned := sorted({school for school in schools if school}):
        await session.flush()  # the entry's id
        session.add_all(AuditSchool(audit_id=entry.id, school_id=school) for school in concerned)


async def all_active(session: AsyncSession, *, schools: frozenset[str] | None = None) -> Sequence[Grant]:
    """Active grants (of these schools only, when given), newest first."""
    query = select(Grant).where(Grant.revoked_at.is_(None))
    if schools is not None:
        query = query.where(Grant.school_id.in_(schools))
    return (await session.scalars(query.order_by(Grant.created_at.desc(), Grant.id.desc()))).all()


async def recent_audit(
    session: AsyncSession, *, limit: int, schools: frozenset[str] | None = None
) -> Sequence[AuditEntry]:
    """The newest entries: all of them, or those that concern any of `schools`."""
    query = select(AuditEntry)
    if schools is not None:
        concerned = select(AuditSchool.audit_id).where(AuditSchool.school_id.in_(schools))
        query = query.where(AuditEntry.id.in_(concerned))
    query = query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


def add_invite(session: AsyncSession, invite: Invite) -> None:
    session.add(invite)


async def invite_by_hash(session: AsyncSession, token_hash: str) -> Invite | None:
    return await session.scalar(select(Invite).where(Invite.token_hash == token_hash))


async def use_invite(session: AsyncSession, *, invite_id: int, user_id: int, now: datetime) -> bool:
    """Mark the invite used by `user_id`; True for the one call that does (single use, even at once)."""
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.used_at.is_(None))
        .values(used_by=user_id, used_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]

"""Queries on the certificate register. Take the session; never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import CertificateRecord, User
from bot.db.session import insert_once


async def of_user(session: AsyncSession, *, user_id: int, campaign_id: str) -> CertificateRecord | None:
    return await session.scalar(
        select(CertificateRecord).where(CertificateRecord.user_id == user_id,
                                        CertificateRecord.campaign_id == campaign_id)
    )  # fmt: skip


async def add_once(session: AsyncSession, *, code: str, user_id: int, campaign_id: str, score: int, level: str,
                   now: datetime) -> None:  # fmt: skip
    """Register a certificate unless the user has one for the campaign or the code is taken (then nothing
    is written: read `of_user` to tell which)."""
    await insert_once(session, CertificateRecord, code=code, user_id=user_id, campaign_id=campaign_id, score=score,
                      level=level, issued_at=now)  # fmt: skip


async def by_code(session: AsyncSession, *, code: str) -> tuple[CertificateRecord, User] | None:
    """The certificate with this code and its holder's row (for their school and class)."""
    row = (
        await session.execute(
            select(CertificateRecord, User).join(User, User.id == CertificateRecord.user_id)
            .where(CertificateRecord.code == code)
        )
    ).first()  # fmt: skip
    return None if row is None else (row[0], row[1])

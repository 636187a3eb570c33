"""Queries for campaign membership and the daily reading's deliveries. Take the session; never commit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import CampaignMember, ReadingDelivery, User
from bot.db.session import insert_once


async def join_once(session: AsyncSession, *, campaign_id: str, user_id: int, now: datetime) -> None:
    await insert_once(
        session, CampaignMember, campaign_id=campaign_id, user_id=user_id, joined_at=now, reading=False
    )


async def member(session: AsyncSession, *, campaign_id: str, user_id: int) -> CampaignMember | None:
    return await session.get(CampaignMember, (campaign_id, user_id))


async def set_reading(session: AsyncSession, *, campaign_id: str, user_id: int, on: bool) -> None:
    await session.execute(
        update(CampaignMember).where(CampaignMember.campaign_id == campaign_id, CampaignMember.user_id == user_id)
        .values(reading=on)
    )  # fmt: skip


async def stop_all_reading(session: AsyncSession, *, user_id: int) -> int:
    """Unsubscribe the user from every campaign's reading; returns how many there were."""
    result = await session.execute(
        update(CampaignMember)
        .where(CampaignMember.user_id == user_id, CampaignMember.reading.is_(True))
        .values(reading=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def pending_readers(
    session: AsyncSession, *, campaign_id: str, day: date, limit: int
) -> list[tuple[int, str]]:
    """Active subscribers not yet sent `day`'s article: (user id, language)."""
    sent = select(ReadingDelivery.user_id).where(
        ReadingDelivery.campaign_id == campaign_id, ReadingDelivery.day == day
    )
    query = (
        select(User.id, User.language)
        .join(CampaignMember, CampaignMember.user_id == User.id)
        .where(CampaignMember.campaign_id == campaign_id, CampaignMember.reading.is_(True), User.active.is_(True),
               User.id.not_in(sent))
        .limit(limit)
    )  # fmt: skip
    return [(uid, lang) for uid, lang in (await session.execute(query)).all()]


async def claim_delivery(
    session: AsyncSession, *, campaign_id: str, user_id: int, day: date, now: datetime
) -> bool:
    """Record a reading delivery unless it was; True for the one call that records it."""
    return await insert_once(
        session, ReadingDelivery, campaign_id=campaign_id, user_id=user_id, day=day, sent_at=now
    )

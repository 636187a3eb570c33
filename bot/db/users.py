"""Queries on users. Functions take the session and never commit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import BroadcastDelivery, DashboardLogin, FaqQuery, GroupAnswer, User, utcnow
from bot.db.stats import untally_user
from bot.domain import Role

# last_seen_at is refreshed at most this often, so that most updates cost no write for it.
SEEN_RESOLUTION = timedelta(minutes=10)


async def touch_user(session: AsyncSession, *, user_id: int, language: str) -> User:
    """The user's row, created on first contact, with last-seen updated."""
    user = await session.get(User, user_id)
    if user is None:
        user = User(id=user_id, language=language, created_at=utcnow(), last_seen_at=utcnow(), active=True)
        session.add(user)
        await session.flush()
        return user
    now = utcnow()
    if now - user.last_seen_at > SEEN_RESOLUTION or not user.active:
        user.last_seen_at = now
        user.active = True
    return user


async def erase_user(session: AsyncSession, *, user_id: int) -> list[int]:
    """Take their ended campaign attempts out of the questions' tallies (`untally_user`), then delete the
    user's row (attempts and answers, FAQ questions and votes, the curators' wordings
    taken from their questions (faq_alternates.query_id), campaign memberships and reading
    deliveries, their verified class membership with its 学号 and their reminders cascade from it), their
    dashboard login links, their answers in group rounds (kept by Telegram id, as group members
    need not have started the bot) and the record of broadcasts sent to them. Returns the ids of the
    curators' group posts of their questions, for the caller to delete there."""
    posted = await session.scalars(
        select(FaqQuery.curator_message_id).where(
            FaqQuery.user_id == user_id, FaqQuery.curator_message_id.is_not(None)
        )
    )
    posts = [int(m) for m in posted.all() if m is not None]
    await untally_user(session, user_id=user_id)
    await session.execute(delete(GroupAnswer).where(GroupAnswer.user_id == user_id))
    await session.execute(delete(BroadcastDelivery).where(BroadcastDelivery.user_id == user_id))
    await session.execute(delete(DashboardLogin).where(DashboardLogin.user_id == user_id))
    await session.execute(delete(User).where(User.id == user_id))
    return posts


async def known(session: AsyncSession, *, user_id: int) -> bool:
    """Whether the user has written to the bot (and not erased their data since)."""
    return await session.scalar(select(User.id).where(User.id == user_id)) is not None


async def role_of(session: AsyncSession, *, user_id: int) -> Role | None:
    """The role the user registered with; None when they never did (or never wrote to the bot)."""
    return await session.scalar(select(User.role).where(User.id == user_id))


async def profiles(session: AsyncSession, *, user_ids: set[int]) -> dict[int, User]:
    """These users' rows, by id (those who erased their data or never wrote are not among them)."""
    return {u.id: u for u in await session.scalars(select(User).where(User.id.in_(user_ids)))}


async def user_languages(session: AsyncSession, *, user_ids: set[int]) -> dict[int, str]:
    result = await session.execute(select(User.id, User.language).where(User.id.in_(user_ids)))
    return {user_id: language for user_id, language in result.all()}


async def deactivate(session: AsyncSession, *, user_id: int) -> None:
    """The user blocked the bot: stop sending to them until they write again."""
    user = await session.get(User, user_id)
    if user is not None:
        user.active = False


async def lock_user(session: AsyncSession, *, user_id: int) -> None:
    """Take the user's row for the rest of the transaction, so that the same person's concurrent taps
    take turns (two starts of a quiz, two 👎 on an answer): PostgreSQL FOR UPDATE; SQLite's transactions
    take turns anyway."""
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())

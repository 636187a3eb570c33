"""Seeding rows for the service-level tests, and reading them back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Attempt, User
from bot.domain import Role

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # the test clock's start: 09:00 in Asia/Shanghai


async def add_user(
    session: AsyncSession,
    user_id: int,
    role: Role | None = None,
    school: str | None = None,
    grade: int | None = None,
    class_no: int | None = None,
    *,
    active: bool = True,
    language: str = "zh",
    name: str | None = None,
) -> User:
    user = User(id=user_id, language=language, role=role, school_id=school, grade=grade, class_no=class_no,
                display_name=name, active=active, registered_at=T0 if role else None, created_at=T0,
                last_seen_at=T0)  # fmt: skip
    session.add(user)
    await session.flush()
    return user


def finished_attempt(
    user_id: int,
    campaign_id: str,
    score: int,
    seconds: int,
    *,
    minutes_after: int = 0,
    status: str = "finished",
    pass_mark: int = 60,
    excellent_mark: int = 90,
) -> Attempt:
    """A campaign attempt that ended `minutes_after` the clock's start with `score`."""
    finished = T0 + timedelta(minutes=minutes_after)
    return Attempt(user_id=user_id, mode="exam", campaign_id=campaign_id, total=10, shown=10, correct=score // 10,
                   status=status, score=score, seconds=seconds, started_at=finished - timedelta(seconds=seconds),
                   finished_at=finished, pass_mark=pass_mark, excellent_mark=excellent_mark)  # fmt: skip


async def count(session: AsyncSession, model: Any, *where: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

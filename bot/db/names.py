"""The names users chose for rank tables (/name), as the admins over them list and clear them. Take the
session; never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.db.stats import in_scope
from bot.domain import ChosenName, Scope


def _named(scope: Scope) -> list[ColumnElement[bool]]:
    return [User.display_name.is_not(None), in_scope(scope, User.school_id, User.grade, User.class_no)]


async def chosen(session: AsyncSession, scope: Scope, *, limit: int) -> Sequence[ChosenName]:
    """The users in `scope` who chose a name, by school and class, then by user id (so that the numbers
    on the buttons stay put)."""
    rows = await session.execute(
        select(User.id, User.display_name, User.show_name, User.school_id, User.grade, User.class_no)
        .where(*_named(scope))
        .order_by(User.school_id, User.grade, User.class_no, User.id)
        .limit(limit)
    )
    return [
        ChosenName(i, name or "", shown, school, grade, number)
        for i, name, shown, school, grade, number in rows
    ]


async def clear(session: AsyncSession, scope: Scope, user_id: int) -> User | None:
    """Clears the name of `user_id` when that user is in `scope` and has one: the user, else None."""
    user = await session.scalar(select(User).where(User.id == user_id, *_named(scope)))
    if user is not None:
        user.display_name, user.show_name = None, False
    return user

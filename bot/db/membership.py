"""Queries for join links, verified members and class rosters of numbers. Take the session; never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import JoinLink, RosterNumber, User, VerifiedMember


def is_verified() -> ColumnElement[bool]:
    """True for a user (the `users` row in the query) who joined by link and is still in the school and
    class that link named; a self-chosen class is unverified. Add it to a query's WHERE to restrict a
    report to verified members."""
    vm = VerifiedMember
    return exists().where(
        vm.user_id == User.id,
        vm.school_id == User.school_id,
        func.coalesce(vm.grade, -1) == func.coalesce(User.grade, -1),
        func.coalesce(vm.class_no, -1) == func.coalesce(User.class_no, -1),
    )


def add_link(session: AsyncSession, link: JoinLink) -> None:
    session.add(link)


async def link_by_hash(session: AsyncSession, code_hash: str) -> JoinLink | None:
    return await session.scalar(select(JoinLink).where(JoinLink.code_hash == code_hash))


async def revoke_links(
    session: AsyncSession, *, school_id: str, grade: int | None, class_no: int | None, now: datetime
) -> int:
    """Revoke the place's links still open; how many there were."""
    result = await session.execute(
        update(JoinLink)
        .where(JoinLink.school_id == school_id,
               JoinLink.grade.is_(None) if grade is None else JoinLink.grade == grade,
               JoinLink.class_no.is_(None) if class_no is None else JoinLink.class_no == class_no,
               JoinLink.revoked_at.is_(None), JoinLink.expires_at > now)
        .values(revoked_at=now)
    )  # fmt: skip
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def member(session: AsyncSession, user_id: int) -> VerifiedMember | None:
    return await session.get(VerifiedMember, user_id)


def add_member(session: AsyncSession, row: VerifiedMember) -> None:
    session.add(row)


async def number_taken(
    session: AsyncSession,
    *,
    school_id: str,
    grade: int | None,
    class_no: int | None,
    number: str,
    user_id: int,
) -> bool:
    """Another verified member of the place already gave this number."""
    found = await session.scalar(
        select(VerifiedMember.user_id)
        .where(
            VerifiedMember.school_id == school_id,
            VerifiedMember.grade.is_(None) if grade is None else VerifiedMember.grade == grade,
            VerifiedMember.class_no.is_(None) if class_no is None else VerifiedMember.class_no == class_no,
            VerifiedMember.number == number,
            VerifiedMember.user_id != user_id,
        )
        .limit(1)
    )
    return found is not None


async def roster_size(session: AsyncSession, *, school_id: str, grade: int, class_no: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(RosterNumber)
            .where(
                RosterNumber.school_id == school_id,
                RosterNumber.grade == grade,
                RosterNumber.class_no == class_no,
            )
        )
        or 0
    )


async def on_roster(session: AsyncSession, *, school_id: str, grade: int, class_no: int, number: str) -> bool:
    row = await session.get(RosterNumber, (school_id, grade, class_no, number))
    return row is not None


async def replace_roster(
    session: AsyncSession, *, school_id: str, grade: int, class_no: int, numbers: Iterable[str], actor: int,
    now: datetime,
) -> None:  # fmt: skip
    """The class's roster becomes `numbers` (an upload replaces the previous one)."""
    await session.execute(
        delete(RosterNumber).where(
            RosterNumber.school_id == school_id,
            RosterNumber.grade == grade,
            RosterNumber.class_no == class_no,
        )
    )
    session.add_all(
        RosterNumber(school_id=school_id, grade=grade, class_no=class_no, number=n, uploaded_by=actor, uploaded_at=now)
        for n in numbers
    )  # fmt: skip


def never_joined(school_id: str, grade: int, class_no: int) -> ColumnElement[bool]:
    """Roster numbers of a class that no verified member of that class has given."""
    vm = VerifiedMember
    return and_(
        RosterNumber.school_id == school_id,
        RosterNumber.grade == grade,
        RosterNumber.class_no == class_no,
        ~exists().where(
            vm.school_id == school_id,
            vm.grade == grade,
            vm.class_no == class_no,
            vm.number == RosterNumber.number,
        ),
    )


async def count_never_joined(session: AsyncSession, *, school_id: str, grade: int, class_no: int) -> int:
    query = select(func.count()).select_from(RosterNumber).where(never_joined(school_id, grade, class_no))
    return int(await session.scalar(query) or 0)


async def never_joined_numbers(
    session: AsyncSession, *, school_id: str, grade: int, class_no: int, limit: int
) -> list[str]:
    """The first `limit` of those numbers, in order: whom the class teacher follows up."""
    query = (
        select(RosterNumber.number)
        .where(never_joined(school_id, grade, class_no))
        .order_by(RosterNumber.number)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())

"""Who in a campaign's audience has not finished it, and the reminders sent to them. Take the session;
never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Attempt, CampaignMember, Reminder, ReportDelivery, User, VerifiedMember
from bot.db.session import dialect_insert, insert_once
from bot.db.stats import TOOK, in_scope
from bot.domain import Role, Scope


@dataclass(frozen=True)
class Target:
    """A campaign's audience within an admin's scope."""

    campaign_id: str
    reading: bool  # a reading campaign is done by subscribing; the others by finishing an attempt
    roles: tuple[str, ...]
    grades: tuple[int, int] | None
    scope: Scope


def _done(target: Target) -> Select[int]:
    """Each user who is done with the campaign, once."""
    if target.reading:
        return select(CampaignMember.user_id).where(CampaignMember.campaign_id == target.campaign_id)
    return (
        select(Attempt.user_id)
        .where(Attempt.campaign_id == target.campaign_id, Attempt.status.in_(TOOK))
        .distinct()
    )


def _not_done(target: Target) -> ColumnElement[bool]:
    """The user (of the outer query) is not done: NOT EXISTS, which the databases run as an anti-join.
    (NOT IN a subquery is run per user once its hash outgrows work_mem: at a province's million users
    PostgreSQL's /missing had not finished after 7 minutes.)"""
    if target.reading:
        done = exists().where(
            CampaignMember.campaign_id == target.campaign_id, CampaignMember.user_id == User.id
        )
    else:
        done = exists().where(
            Attempt.user_id == User.id, Attempt.campaign_id == target.campaign_id, Attempt.status.in_(TOOK)
        )
    return ~done


def _audience(target: Target) -> ColumnElement[bool]:
    condition = and_(
        User.registered_at.is_not(None),
        User.role.in_([Role(r) for r in target.roles]),
        in_scope(target.scope, User.school_id, User.grade, User.class_no),
    )
    if target.grades is not None and "student" in target.roles:
        low, high = target.grades
        condition = and_(condition, or_(User.role != Role.student, User.grade.between(low, high)))
    return condition


async def pending_members(
    session: AsyncSession, target: Target, *, limit: int
) -> Sequence[tuple[object, ...]]:
    """Members who have not finished: school, grade, class, the number they gave on joining (None when
    they gave none or chose their class themselves) and their display name."""
    vm = VerifiedMember
    place = and_(vm.user_id == User.id, vm.school_id == User.school_id,
                 func.coalesce(vm.grade, -1) == func.coalesce(User.grade, -1),
                 func.coalesce(vm.class_no, -1) == func.coalesce(User.class_no, -1))  # fmt: skip
    query = (
        select(User.school_id, User.grade, User.class_no, vm.number, User.display_name)
        .outerjoin(vm, place)
        .where(_audience(target), _not_done(target))
        .order_by(User.school_id, User.grade, User.class_no, vm.number, User.id)
        .limit(limit)
    )
    return (await session.execute(query)).all()


async def counts(
    session: AsyncSession, target: Target, *, by: str
) -> dict[tuple[object, ...], tuple[int, int]]:
    """Members and how many of them finished, per school (`by` "school"), per class ("class"), or per
    class and staff department ("group": school, grade, class, department; staff have no class)."""
    place: list[Any] = [User.school_id, User.grade, User.class_no, User.department]
    keys = place[: {"school": 1, "class": 3, "group": 4}[by]]
    done = _done(target).subquery()
    query = (
        select(*keys, func.count(), func.count(done.c.user_id))
        .outerjoin(done, done.c.user_id == User.id)
        .where(_audience(target))
        .group_by(*keys)
    )
    rows = await session.execute(query)
    return {tuple(r[: len(keys)]): (int(r[-2]), int(r[-1] or 0)) for r in rows.all()}


async def reminder_targets(session: AsyncSession, target: Target, *, day: date) -> list[int]:
    """Active members who have not finished and were not reminded of the campaign on `day`."""
    reminded = exists().where(
        Reminder.campaign_id == target.campaign_id, Reminder.user_id == User.id, Reminder.day == day
    )
    query = select(User.id).where(_audience(target), User.active.is_(True), _not_done(target), ~reminded)
    return list((await session.scalars(query.order_by(User.id))).all())


async def record_reminders(
    session: AsyncSession, *, campaign_id: str, user_ids: list[int], day: date, broadcast_id: int
) -> int:
    """Claim the day's reminder for each user (a user another /remind claimed first is skipped); how many
    were claimed for this broadcast."""
    claimed = 0
    for start in range(0, len(user_ids), 500):
        rows = [{"campaign_id": campaign_id, "user_id": u, "day": day, "broadcast_id": broadcast_id}
                for u in user_ids[start : start + 500]]  # fmt: skip
        result = await session.execute(
            dialect_insert(session, Reminder).values(rows).on_conflict_do_nothing()
        )
        claimed += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return claimed


def reminded_by(broadcast_id: int) -> ColumnElement[bool]:
    """The users a reminder broadcast goes to (for bot/db/broadcasts.py)."""
    return User.id.in_(select(Reminder.user_id).where(Reminder.broadcast_id == broadcast_id))


async def claim_report(
    session: AsyncSession, *, campaign_id: str, slot: str, admin_id: int, now: datetime
) -> bool:
    """Record a scheduled report for one admin before it is sent; True for the one call that does."""
    return await insert_once(
        session, ReportDelivery, campaign_id=campaign_id, slot=slot, admin_id=admin_id, sent_at=now
    )

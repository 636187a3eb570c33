"""Broadcasts by super admins: compose, choose an audience, preview, confirm; sending is resumable and
never gives anyone a second copy (each delivery is recorded before its message is sent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schools import District
from bot.db.models import Broadcast, BroadcastDelivery, Role, User
from bot.db.session import dialect_insert
from bot.services.errors import Refused

MAX_TEXT = 3500


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    blocked: int
    failed: int
    status: str


class BroadcastService:
    def __init__(self, district: District, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.district = district
        self.clock = clock

    def audiences(self) -> list[str]:
        return ["all", "staff", "students"]

    def check_audience(self, audience: str) -> None:
        self._where(audience)  # refuses an unknown school or grade

    def _where(self, audience: str) -> ColumnElement[bool]:
        base = User.active.is_(True)
        kind, _, value = audience.partition(".")
        if kind == "all":
            return base
        if kind == "staff":
            return base & (User.role == Role.staff)
        if kind == "students":
            return base & (User.role == Role.student)
        if kind == "school" and self.district.school(value):
            return base & (User.school_id == value)
        if kind == "grade" and value.isdigit() and 1 <= int(value) <= 12:
            return base & (User.role == Role.student) & (User.grade == int(value))
        raise Refused()

    async def create(self, session: AsyncSession, *, actor: int, text: str) -> Broadcast:
        if not text.strip() or len(text) > MAX_TEXT:
            raise Refused("broadcast.bad_text")
        broadcast = Broadcast(
            created_by=actor, text=text, audience="all", status="draft", created_at=self.clock()
        )
        session.add(broadcast)
        await session.flush()
        return broadcast

    async def _own_draft(self, session: AsyncSession, actor: int, broadcast_id: int) -> Broadcast:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.created_by != actor or broadcast.status != "draft":
            raise Refused()
        return broadcast

    async def choose(
        self, session: AsyncSession, *, actor: int, broadcast_id: int, audience: str
    ) -> tuple[Broadcast, int]:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        count = await session.scalar(select(func.count()).select_from(User).where(self._where(audience)))
        broadcast.audience = audience
        return broadcast, int(count or 0)

    async def confirm(self, session: AsyncSession, *, actor: int, broadcast_id: int) -> Broadcast:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        broadcast.status = "sending"
        return broadcast

    async def cancel(self, session: AsyncSession, *, actor: int, broadcast_id: int) -> None:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        broadcast.status = "cancelled"

    async def sending(self, session: AsyncSession) -> list[Broadcast]:
        return list((await session.scalars(select(Broadcast).where(Broadcast.status == "sending"))).all())

    async def next_recipients(self, session: AsyncSession, broadcast: Broadcast, limit: int) -> list[int]:
        done = select(BroadcastDelivery.user_id).where(BroadcastDelivery.broadcast_id == broadcast.id)
        query = (
            select(User.id)
            .where(self._where(broadcast.audience), User.id.not_in(done))
            .order_by(User.id)
            .limit(limit)
        )
        return list((await session.scalars(query)).all())

    async def claim(self, session: AsyncSession, broadcast_id: int, user_id: int) -> bool:
        statement = dialect_insert(session, BroadcastDelivery).values(
            broadcast_id=broadcast_id, user_id=user_id, status="sending", at=self.clock()
        )
        result = await session.execute(statement.on_conflict_do_nothing())
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def record(self, session: AsyncSession, broadcast_id: int, user_id: int, status: str) -> None:
        await session.execute(
            update(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id, BroadcastDelivery.user_id == user_id)
            .values(status=status, at=self.clock())
        )  # fmt: skip
        if status == "blocked":
            await session.execute(update(User).where(User.id == user_id).values(active=False))

    async def finish(self, session: AsyncSession, broadcast_id: int) -> None:
        await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.status == "sending")
                              .values(status="done", finished_at=self.clock()))  # fmt: skip

    async def progress(self, session: AsyncSession, broadcast_id: int) -> Progress:
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None:
            raise Refused()
        counts = dict((await session.execute(
            select(BroadcastDelivery.status, func.count()).where(BroadcastDelivery.broadcast_id == broadcast_id)
            .group_by(BroadcastDelivery.status)
        )).all())  # fmt: skip
        total = sum(int(v) for v in counts.values())
        return Progress(
            total,
            int(counts.get("sent", 0)),
            int(counts.get("blocked", 0)),
            int(counts.get("failed", 0)),
            broadcast.status,
        )

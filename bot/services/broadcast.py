"""Broadcasts by super admins: compose, choose an audience, preview, confirm; sending is resumable and
never gives anyone a second copy (each delivery is recorded before its message is sent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schools import District
from bot.db import broadcasts as db
from bot.db.models import Broadcast
from bot.db.session import add_row
from bot.db.users import deactivate
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

    def check_audience(self, audience: str) -> tuple[str, str]:
        """`audience` (all, staff, students, school.<id>, grade.<n>) as (kind, value); anything else, an
        unknown school or grade included, is refused."""
        kind, _, value = audience.partition(".")
        known = (
            kind in ("all", "staff", "students")
            or (kind == "school" and self.district.school(value) is not None)
            or (kind == "grade" and value.isdigit() and 1 <= int(value) <= 12)
        )
        if not known:
            raise Refused()
        return kind, value

    async def create(self, session: AsyncSession, *, actor: int, text: str) -> Broadcast:
        if not text.strip() or len(text) > MAX_TEXT:
            raise Refused("broadcast.bad_text")
        broadcast = Broadcast(
            created_by=actor, text=text, audience="all", status="draft", created_at=self.clock()
        )
        return await add_row(session, broadcast)

    async def _own_draft(self, session: AsyncSession, actor: int, broadcast_id: int) -> Broadcast:
        broadcast = await db.get(session, broadcast_id)
        if broadcast is None or broadcast.created_by != actor or broadcast.status != "draft":
            raise Refused()
        return broadcast

    async def choose(
        self, session: AsyncSession, *, actor: int, broadcast_id: int, audience: str
    ) -> tuple[Broadcast, int]:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        kind, value = self.check_audience(audience)
        count = await db.count(session, kind=kind, value=value)
        broadcast.audience = audience
        return broadcast, count

    async def confirm(self, session: AsyncSession, *, actor: int, broadcast_id: int) -> Broadcast:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        broadcast.status = "sending"
        return broadcast

    async def cancel(self, session: AsyncSession, *, actor: int, broadcast_id: int) -> None:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        broadcast.status = "cancelled"

    async def get(self, session: AsyncSession, broadcast_id: int) -> Broadcast | None:
        return await db.get(session, broadcast_id)

    async def sending(self, session: AsyncSession) -> list[Broadcast]:
        return await db.sending(session)

    async def next_recipients(self, session: AsyncSession, broadcast: Broadcast, limit: int) -> list[int]:
        kind, value = self.check_audience(broadcast.audience)
        return await db.next_recipients(
            session, broadcast_id=broadcast.id, kind=kind, value=value, limit=limit
        )

    async def claim(self, session: AsyncSession, broadcast_id: int, user_id: int) -> bool:
        return await db.claim(session, broadcast_id=broadcast_id, user_id=user_id, now=self.clock())

    async def record(self, session: AsyncSession, broadcast_id: int, user_id: int, status: str) -> None:
        await db.record(session, broadcast_id=broadcast_id, user_id=user_id, status=status, now=self.clock())
        if status == "blocked":
            await deactivate(session, user_id=user_id)

    async def finish(self, session: AsyncSession, broadcast_id: int) -> None:
        await db.finish(session, broadcast_id=broadcast_id, now=self.clock())

    async def progress(self, session: AsyncSession, broadcast_id: int) -> Progress:
        broadcast = await db.get(session, broadcast_id)
        if broadcast is None:
            raise Refused()
        counts = await db.status_counts(session, broadcast_id=broadcast_id)
        total = sum(int(v) for v in counts.values())
        return Progress(
            total,
            int(counts.get("sent", 0)),
            int(counts.get("blocked", 0)),
            int(counts.get("failed", 0)),
            broadcast.status,
        )

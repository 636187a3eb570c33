"""Broadcasts by super admins: compose, choose an audience, preview, confirm; sending is resumable and
never gives anyone a second copy (each delivery is recorded before its message is sent)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schools import District
from bot.db import broadcasts as queries
from bot.db.models import Broadcast
from bot.db.session import Database, add_row
from bot.db.users import deactivate
from bot.parsing import whole_number
from bot.services.access import named_school
from bot.services.errors import Refused
from bot.services.outbound import Outcome, Send
from bot.services.pacing import Budget, concurrently

MAX_TEXT = 3500
BATCH = 50  # recipients read from the database at a time
# A delivery claimed less than this long ago may still be on its way from another worker: the broadcast is
# finished (and reported) once none is. An older claim is a process that stopped mid-send: unknown.
IN_FLIGHT = timedelta(seconds=15)


@dataclass(frozen=True)
class Letter:
    """One recipient's copy of a broadcast, sent under a heading in their language."""

    broadcast_id: int
    user_id: int
    text: str
    language: str = "zh"


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    blocked: int
    failed: int
    status: str
    unknown: int = 0  # claimed by a process that stopped before it learnt the outcome


@dataclass(frozen=True)
class Finished:
    """A broadcast that has reached its whole audience, for the report to its author."""

    broadcast_id: int
    created_by: int
    progress: Progress
    text: str = ""  # what was sent, so the author can tell which of their broadcasts is done


class BroadcastService:
    def __init__(self, district: District, budget: Budget, *, concurrency: int = 6,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        self.district = district
        self.clock = clock
        self.budget = budget  # shared with the daily reading: bulk sending as a whole keeps the rate
        self.concurrency = concurrency  # sends in flight at once; also at most this many 'unknown' at a kill

    def audiences(self) -> list[str]:
        return ["all", "staff", "students"]

    def audience_named(self, args: list[str]) -> str:
        """The audience `/broadcast school <school>` or `/broadcast grade <n>` names ("" for none: chosen
        after the text); a school by its name or id (`named_school`); anything else gets the usage (a bad
        one had been told 这个按钮已失效)."""
        if not args:
            return ""
        if len(args) != 2 or args[0] not in ("school", "grade"):
            raise Refused("broadcast.usage")
        named = named_school(self.district, args[1]).id if args[0] == "school" else args[1]
        try:
            self.check_audience(f"{args[0]}.{named}")
        except Refused:
            raise Refused("broadcast.usage") from None
        return f"{args[0]}.{named}"

    def check_audience(self, audience: str) -> tuple[str, str]:
        """`audience` (all, staff, students, school.<id>, grade.<n>, remind.<broadcast id>) as (kind, value); anything else, an
        unknown school or grade included, is refused."""
        kind, _, value = audience.partition(".")
        known = (
            kind in ("all", "staff", "students")
            or (kind == "school" and self.district.school(value) is not None)
            or (kind == "grade" and whole_number(value, 1, 12) is not None)
            or (
                kind == "remind" and whole_number(value, 1) is not None
            )  # a /remind's (bot/services/followup.py)
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
        broadcast = await queries.get(session, broadcast_id)
        if broadcast is None or broadcast.created_by != actor or broadcast.status != "draft":
            raise Refused()
        return broadcast

    async def choose(
        self, session: AsyncSession, *, actor: int, broadcast_id: int, audience: str
    ) -> tuple[Broadcast, int]:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        kind, value = self.check_audience(audience)
        count = await queries.count(session, kind=kind, value=value)
        broadcast.audience = audience
        return broadcast, count

    def schools_of(self, audience: str) -> list[str]:
        """The school an audience is confined to, for the audit log (none: the district's business)."""
        kind, value = self.check_audience(audience)
        return [value] if kind == "school" else []

    async def confirm(self, session: AsyncSession, *, actor: int, broadcast_id: int) -> Broadcast:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        broadcast.status = "sending"
        return broadcast

    async def cancel(self, session: AsyncSession, *, actor: int, broadcast_id: int) -> None:
        broadcast = await self._own_draft(session, actor, broadcast_id)
        broadcast.status = "cancelled"

    async def get(self, session: AsyncSession, broadcast_id: int) -> Broadcast | None:
        return await queries.get(session, broadcast_id)

    async def sending(self, session: AsyncSession) -> list[Broadcast]:
        return await queries.sending(session)

    async def next_recipients(
        self, session: AsyncSession, broadcast: Broadcast, limit: int
    ) -> list[tuple[int, str]]:
        """(user id, language) of those of the audience not yet sent it, `limit` at most."""
        kind, value = self.check_audience(broadcast.audience)
        return await queries.next_recipients(
            session, broadcast_id=broadcast.id, kind=kind, value=value, limit=limit
        )

    async def claim(self, session: AsyncSession, broadcast_id: int, user_id: int) -> bool:
        return await queries.claim(session, broadcast_id=broadcast_id, user_id=user_id, now=self.clock())

    async def record(self, session: AsyncSession, broadcast_id: int, user_id: int, status: str) -> None:
        await queries.record(
            session, broadcast_id=broadcast_id, user_id=user_id, status=status, now=self.clock()
        )
        if status == "blocked":
            await deactivate(session, user_id=user_id)

    async def finish(self, session: AsyncSession, broadcast_id: int) -> Finished | None:
        """Mark the broadcast done; None when another worker did so first, or still sends some of it."""
        now = self.clock()
        if not await queries.finish(
            session, broadcast_id=broadcast_id, now=now, settled_before=now - IN_FLIGHT
        ):
            return None
        broadcast = await queries.get(session, broadcast_id)
        assert broadcast is not None  # it was just updated in this transaction
        return Finished(
            broadcast_id, broadcast.created_by, await self.progress(session, broadcast_id), broadcast.text
        )

    # -- sending (the periodic job) -------------------------------------------------------------
    async def send_pending(
        self, db: Database, send: Send[Letter], report: Callable[[Finished], Awaitable[object]]
    ) -> int:
        """Send every broadcast being sent to the rest of its audience, within the bulk budget and up to
        `concurrency` at once, and report each one that is done to its author. Each delivery is claimed
        (committed) before its message goes and its outcome recorded after, so a restart never sends
        anyone a second copy (one in flight at a kill is reported as unknown); a user who blocked the
        bot is made inactive. Returns how many messages were sent."""
        async with db.transaction() as session:
            active = [(b.id, (b.text, b.text_en or b.text)) for b in await queries.sending(session)]
        sent = 0
        for broadcast_id, texts in active:
            while True:
                async with db.transaction() as session:
                    broadcast = await queries.get(session, broadcast_id)
                    if broadcast is None or broadcast.status != "sending":
                        break
                    recipients = await self.next_recipients(session, broadcast, BATCH)
                sent += sum(
                    await concurrently(
                        recipients, partial(self._deliver, db, send, broadcast_id, texts), self.concurrency
                    )
                )
                if len(recipients) < BATCH:
                    async with db.transaction() as session:
                        finished = await self.finish(session, broadcast_id)
                    if finished is not None:
                        await report(finished)
                    break
        return sent

    async def _deliver(
        self,
        db: Database,
        send: Send[Letter],
        broadcast_id: int,
        texts: tuple[str, str],
        recipient: tuple[int, str],
    ) -> bool:
        """One recipient: claimed (committed) before the message goes, its outcome recorded after; `texts`:
        for everyone, and for English readers (the same where the broadcast has no English text)."""
        user_id, language = recipient
        text = texts[1] if language == "en" else texts[0]
        async with db.transaction() as session:
            if not await self.claim(session, broadcast_id, user_id):
                return False
        await self.budget.take()
        outcome = await send(Letter(broadcast_id, user_id, text, language))
        async with db.transaction() as session:
            await self.record(session, broadcast_id, user_id, outcome.value)
        return outcome is Outcome.sent

    async def progress(self, session: AsyncSession, broadcast_id: int) -> Progress:
        broadcast = await queries.get(session, broadcast_id)
        if broadcast is None:
            raise Refused()
        counts = await queries.status_counts(session, broadcast_id=broadcast_id)
        total = sum(int(v) for v in counts.values())
        return Progress(
            total,
            int(counts.get("sent", 0)),
            int(counts.get("blocked", 0)),
            int(counts.get("failed", 0)),
            broadcast.status,
            int(counts.get("sending", 0)),
        )

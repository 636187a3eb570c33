"""Broadcasts: the draft, its audience, and sending that reaches everyone once and reports the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Broadcast, BroadcastDelivery, User
from bot.domain import Role
from bot.runtime import Services
from bot.services.broadcast import IN_FLIGHT, MAX_TEXT, Finished, Letter, Progress
from bot.services.errors import Refused
from bot.services.outbound import Outcome
from tests.conftest import ADMIN_ID, Clock
from tests.services.helpers import add_user

OTHER_ADMIN = 4343


async def seed_users(svc: Services) -> None:
    """1 staff, 2 a staff member who blocked the bot, 3-4 fifth-graders and 5 an eighth-grader, 6 a parent,
    7 someone who never registered."""
    async with svc.db.transaction() as session:
        await add_user(session, 1, Role.staff, "cg-p1")
        await add_user(session, 2, Role.staff, "cg-p1", active=False)
        await add_user(session, 3, Role.student, "cg-p1", 5, 1)
        await add_user(session, 4, Role.student, "cg-p1", 5, 2)
        await add_user(session, 5, Role.student, "cg-j1", 8, 1)
        await add_user(session, 6, Role.parent)
        await add_user(session, 7)


async def draft(svc: Services, text: str = "明天是国家宪法日", audience: str = "all") -> int:
    async with svc.db.transaction() as session:
        broadcast = await svc.broadcasts.create(session, actor=ADMIN_ID, text=text)
        await svc.broadcasts.choose(session, actor=ADMIN_ID, broadcast_id=broadcast.id, audience=audience)
        return broadcast.id


class Outbox:
    """A `Send` that records each letter and answers with the outcome planned for its recipient."""

    def __init__(self, outcomes: dict[int, Outcome] | None = None) -> None:
        self.outcomes = outcomes or {}
        self.letters: list[Letter] = []
        self.reports: list[Finished] = []

    async def send(self, letter: Letter) -> Outcome:
        self.letters.append(letter)
        return self.outcomes.get(letter.user_id, Outcome.sent)

    async def report(self, finished: Finished) -> None:
        self.reports.append(finished)


async def test_the_audience_counts_active_users_of_each_kind(svc: Services) -> None:
    await seed_users(svc)
    async with svc.db.transaction() as session:
        broadcast = await svc.broadcasts.create(session, actor=ADMIN_ID, text="通知")
        counts = {}
        for audience in ("all", "staff", "students", "school.cg-p1", "grade.5", "grade.8", "school.dc-p1"):
            chosen, counts[audience] = await svc.broadcasts.choose(
                session, actor=ADMIN_ID, broadcast_id=broadcast.id, audience=audience
            )
            assert chosen.audience == audience
        for unknown in ("parents", "school.nowhere", "grade.13", "grade.0", "grade.five", ""):
            with pytest.raises(Refused):
                await svc.broadcasts.choose(
                    session, actor=ADMIN_ID, broadcast_id=broadcast.id, audience=unknown
                )
    # the blocked staff member (2) counts nowhere; a parent and a newcomer only in "all"
    assert counts == {"all": 6, "staff": 1, "students": 3, "school.cg-p1": 3, "grade.5": 2, "grade.8": 1,
                      "school.dc-p1": 0}  # fmt: skip


async def test_the_text_must_be_there_and_within_the_limit(svc: Services, clock: Clock) -> None:
    async with svc.db.transaction() as session:
        longest = await svc.broadcasts.create(session, actor=ADMIN_ID, text="法" * MAX_TEXT)
        for text in ("法" * (MAX_TEXT + 1), "", "  \n "):
            with pytest.raises(Refused) as refused:
                await svc.broadcasts.create(session, actor=ADMIN_ID, text=text)
            assert refused.value.key == "broadcast.bad_text"
    async with svc.db.transaction() as session:
        [stored] = (await session.scalars(select(Broadcast))).all()
    assert MAX_TEXT == 3500 and stored.id == longest.id and len(stored.text) == 3500
    assert (stored.status, stored.audience, stored.created_by, stored.created_at) == (
        "draft",
        "all",
        ADMIN_ID,
        clock.now,
    )


async def test_only_its_author_handles_a_draft_and_a_cancelled_one_is_never_sent(svc: Services) -> None:
    await seed_users(svc)
    broadcast_id = await draft(svc)
    async with svc.db.transaction() as session:
        for step in (svc.broadcasts.confirm, svc.broadcasts.cancel):
            with pytest.raises(Refused):
                await step(session, actor=OTHER_ADMIN, broadcast_id=broadcast_id)
        with pytest.raises(Refused):
            await svc.broadcasts.choose(
                session, actor=OTHER_ADMIN, broadcast_id=broadcast_id, audience="staff"
            )
        await svc.broadcasts.cancel(session, actor=ADMIN_ID, broadcast_id=broadcast_id)
    async with svc.db.transaction() as session:
        with pytest.raises(Refused):  # no longer a draft
            await svc.broadcasts.confirm(session, actor=ADMIN_ID, broadcast_id=broadcast_id)
    outbox = Outbox()
    assert await svc.broadcasts.send_pending(svc.db, outbox.send, outbox.report) == 0
    assert outbox.letters == [] and outbox.reports == []


async def test_sending_reaches_the_audience_once_and_reports_the_outcome(svc: Services, clock: Clock) -> None:
    await seed_users(svc)
    broadcast_id = await draft(svc, "宪法宣传周开始了", audience="students")
    async with svc.db.transaction() as session:
        await svc.broadcasts.confirm(session, actor=ADMIN_ID, broadcast_id=broadcast_id)
    outbox = Outbox({4: Outcome.blocked, 5: Outcome.failed})
    assert await svc.broadcasts.send_pending(svc.db, outbox.send, outbox.report) == 1
    # sent concurrently: each recipient once, in whatever order the sends finished
    assert sorted(outbox.letters, key=lambda letter: letter.user_id) == [
        Letter(broadcast_id, uid, "宪法宣传周开始了") for uid in (3, 4, 5)
    ]
    done = Progress(total=3, sent=1, blocked=1, failed=1, status="done", unknown=0)
    assert outbox.reports == [Finished(broadcast_id, ADMIN_ID, done, "宪法宣传周开始了")]
    # a second run finds nobody left and nothing to report
    again = Outbox()
    assert await svc.broadcasts.send_pending(svc.db, again.send, again.report) == 0
    assert again.letters == [] and again.reports == []
    async with svc.db.transaction() as session:
        assert await svc.broadcasts.progress(session, broadcast_id) == done
        broadcast = await svc.broadcasts.get(session, broadcast_id)
        assert broadcast is not None and broadcast.finished_at == clock.now
        deliveries = (await session.execute(select(BroadcastDelivery.user_id, BroadcastDelivery.status)
                                            .order_by(BroadcastDelivery.user_id))).all()  # fmt: skip
        assert [tuple(d) for d in deliveries] == [(3, "sent"), (4, "blocked"), (5, "failed")]


async def test_a_user_who_blocked_the_bot_is_made_inactive_and_left_out_next_time(svc: Services) -> None:
    await seed_users(svc)
    first = await draft(svc, "第一条", audience="grade.5")
    async with svc.db.transaction() as session:
        await svc.broadcasts.confirm(session, actor=ADMIN_ID, broadcast_id=first)
    await svc.broadcasts.send_pending(svc.db, Outbox({4: Outcome.blocked}).send, Outbox().report)
    async with svc.db.transaction() as session:
        assert [u.id for u in (await session.scalars(select(User).where(User.active.is_(False))))] == [2, 4]
    second = await draft(svc, "第二条", audience="grade.5")
    async with svc.db.transaction() as session:
        _, audience = await svc.broadcasts.choose(
            session, actor=ADMIN_ID, broadcast_id=second, audience="grade.5"
        )
        await svc.broadcasts.confirm(session, actor=ADMIN_ID, broadcast_id=second)
    assert audience == 1
    outbox = Outbox()
    await svc.broadcasts.send_pending(svc.db, outbox.send, outbox.report)
    assert [letter.user_id for letter in outbox.letters] == [3]


async def test_a_delivery_is_claimed_once_so_nobody_gets_a_second_copy(svc: Services, clock: Clock) -> None:
    """A recipient claimed by a process that stopped before sending is not written to again: the claim
    is what counts. While the claim is recent, another worker may still be sending it: the broadcast is
    not finished; once it is old, the report shows the delivery as unknown."""
    await seed_users(svc)
    broadcast_id = await draft(svc, audience="staff")
    async with svc.db.transaction() as session:
        await svc.broadcasts.confirm(session, actor=ADMIN_ID, broadcast_id=broadcast_id)
    async with svc.db.transaction() as session:
        assert await svc.broadcasts.claim(session, broadcast_id, 1) is True
        assert await svc.broadcasts.claim(session, broadcast_id, 1) is False
    async with svc.db.transaction() as session:
        assert await svc.broadcasts.claim(session, broadcast_id, 1) is False  # nor in a later transaction
        broadcast = await svc.broadcasts.get(session, broadcast_id)
        assert broadcast is not None
        assert await svc.broadcasts.next_recipients(session, broadcast, 50) == []
    outbox = Outbox()
    assert await svc.broadcasts.send_pending(svc.db, outbox.send, outbox.report) == 0
    assert outbox.letters == [] and outbox.reports == []  # another worker may be sending it right now
    clock.now += IN_FLIGHT + timedelta(seconds=1)
    assert await svc.broadcasts.send_pending(svc.db, outbox.send, outbox.report) == 0
    assert outbox.letters == []
    unknown = Progress(total=1, sent=0, blocked=0, failed=0, status="done", unknown=1)
    assert outbox.reports == [Finished(broadcast_id, ADMIN_ID, unknown, "明天是国家宪法日")]
    async with svc.db.transaction() as session:
        assert await svc.broadcasts.finish(session, broadcast_id) is None  # reported once only

"""Group rounds of native quiz polls: started by a group admin, one poll after another, each member's
answers scored from `poll_answer` updates, and a table at the end."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.questions import QType, Question, QuestionBank
from bot.db import group_quiz as g
from bot.db.models import GroupPoll, GroupRound
from bot.db.session import Database, add_row
from bot.domain import AttemptStatus
from bot.services.errors import Refused
from bot.services.quiz.draw import draw, shuffled_order

log = logging.getLogger(__name__)
ROUND_SIZES = range(3, 21)
DEFAULT_SIZE = 5
OPEN = AttemptStatus.open.value


@dataclass(frozen=True)
class PollToSend:
    round_id: int
    chat_id: int
    position: int
    total: int
    question: Question
    options: list[str]
    correct_option: int
    open_period: int


@dataclass(frozen=True)
class TableRow:
    name: str
    correct: int
    answered: int


@dataclass(frozen=True)
class RoundTable:
    round_id: int
    chat_id: int
    total: int
    rows: list[TableRow]


class RoundPoster(Protocol):
    """Shows a round's steps in its group: `poll` returns the sent poll's id (None if it could not be
    sent), `table` posts the final table."""

    async def poll(self, step: PollToSend) -> str | None: ...

    async def table(self, table: RoundTable) -> None: ...


def mask(first_name: str | None) -> str:
    """张三 → 张*: enough for classmates to recognise themselves, nothing stored beyond it."""
    name = (first_name or "").strip()
    return f"{name[0]}*" if name else "*"


class GroupQuizEngine:
    def __init__(self, bank: QuestionBank, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 rng: random.Random | None = None, *, open_period: int = 30, gap_seconds: float = 3) -> None:  # fmt: skip
        self.bank = bank
        self.clock = clock
        self.rng = rng or random.Random()
        self.open_period = open_period  # seconds a poll stays open
        self.gap_seconds = gap_seconds  # pause after a poll closes, before the next one

    async def start(self, session: AsyncSession, *, chat_id: int, started_by: int, law: str | None,
                    size: int = DEFAULT_SIZE) -> GroupRound:  # fmt: skip
        if law is not None and law not in self.bank.by_law:
            raise Refused("group.unknown_law")
        if size not in ROUND_SIZES:
            raise Refused("group.bad_size")
        if await g.open_round(session, chat_id=chat_id) is not None:
            raise Refused("group.running")
        pool = [q for q in self.bank.pool(law) if q.type is not QType.multiple]  # a quiz poll has one answer
        questions = draw(pool, size, "all", self.rng)
        round_ = GroupRound(chat_id=chat_id, started_by=started_by, law=law, open_period=self.open_period,
                            question_ids=",".join(q.id for q in questions), sent=0, status=OPEN,
                            next_at=self.clock(), created_at=self.clock())  # fmt: skip
        return await add_row(session, round_)

    async def stop(self, session: AsyncSession, *, chat_id: int) -> RoundTable | None:
        round_ = await g.open_round(session, chat_id=chat_id)
        if round_ is None:
            return None
        return await self._finish(session, round_)

    async def moved(self, session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> None:
        """The group became a supergroup under a new chat id: its round under way goes on there (its next
        polls had gone to the old id, which Telegram refuses, and the round was lost), and /grouprank there
        finds its last table."""
        if old_chat_id != new_chat_id:
            await g.move_chat(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)

    async def last_table(self, session: AsyncSession, *, chat_id: int) -> RoundTable | None:
        """The table of the group's most recent finished round."""
        round_ = await g.last_finished(session, chat_id=chat_id)
        return await self._table(session, round_) if round_ is not None else None

    async def advance_due(self, db: Database, post: RoundPoster) -> None:
        """Every round whose poll has closed moves on: its next poll, or its table."""
        async with db.transaction() as session:
            due = [round_.id for round_ in await g.due_rounds(session, now=self.clock())]
        for round_id in due:
            try:
                await self.advance(db, round_id, post)
            except Refused as refusal:  # e.g. a question removed by /reload: the others go on
                log.warning("group round %s cannot advance: %s", round_id, refusal.key)

    async def advance(self, db: Database, round_id: int, post: RoundPoster) -> None:
        """Claim the round's next step in one transaction, then show it; a poll's id is recorded after
        it was sent, so that members' answers to it can be scored."""
        async with db.transaction() as session:
            round_ = await g.round_by_id(session, round_id)
            step = await self.next_poll(session, round_) if round_ is not None else None
        if isinstance(step, PollToSend):
            poll_id = await post.poll(step)
            if poll_id is not None:
                async with db.transaction() as session:
                    await self.record_poll(session, step, poll_id)
        elif isinstance(step, RoundTable):
            await post.table(step)

    async def next_poll(self, session: AsyncSession, round_: GroupRound) -> PollToSend | RoundTable | None:
        """Claim the round's next step: the next poll to send, or the final table. None if another
        worker claimed it first."""
        ids = round_.question_ids.split(",")
        next_at = self.clock() + timedelta(seconds=round_.open_period + self.gap_seconds)
        if not await g.claim_step(session, round_id=round_.id, sent=round_.sent, next_at=next_at):
            return None
        if round_.sent >= len(ids):
            return await self._finish(session, round_)
        question = self.bank.get(ids[round_.sent])
        if question is None:
            raise Refused("quiz.question_gone")
        order = shuffled_order(question, self.rng)
        options = [question.choices[i] for i in order]
        correct = next(i for i, original in enumerate(order) if original in question.correct)
        return PollToSend(round_.id, round_.chat_id, round_.sent, len(ids), question, options, correct,
                          round_.open_period)  # fmt: skip

    async def record_poll(self, session: AsyncSession, poll: PollToSend, poll_id: str) -> None:
        g.add_poll(session, GroupPoll(poll_id=poll_id, round_id=poll.round_id, position=poll.position,
                                      question_id=poll.question.id, correct_option=poll.correct_option))  # fmt: skip

    async def record_answer(self, session: AsyncSession, *, poll_id: str, user_id: int, first_name: str | None,
                            option_ids: list[int]) -> bool:  # fmt: skip
        """Score one member's answer; an unknown poll, a retraction, a repeat or an answer after the round's
        table was posted (/stopquiz leaves the last poll open in the group) changes nothing."""
        poll = await g.poll(session, poll_id=poll_id)
        if poll is None or not option_ids:
            return False
        round_ = await g.round_by_id(session, poll.round_id)
        if round_ is None or round_.status != OPEN:
            return False
        return await g.add_answer_once(session, poll_id=poll_id, user_id=user_id, name=mask(first_name),
                                       correct=option_ids == [poll.correct_option], now=self.clock())  # fmt: skip

    async def _finish(self, session: AsyncSession, round_: GroupRound) -> RoundTable:
        await g.finish_round(session, round_id=round_.id, now=self.clock())
        return await self._table(session, round_)

    async def _table(self, session: AsyncSession, round_: GroupRound) -> RoundTable:
        rows = sorted(
            await g.round_results(session, round_id=round_.id), key=lambda r: (-int(r[2] or 0), r[4])
        )
        table = [
            TableRow(name=name, correct=int(right or 0), answered=int(n)) for _, name, right, n, _ in rows
        ]
        return RoundTable(round_.id, round_.chat_id, len(round_.question_ids.split(",")), table)

"""Group rounds of native quiz polls: started by a group admin, one poll after another, each member's
answers scored from `poll_answer` updates, and a table at the end."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.questions import QType, Question, QuestionBank
from bot.db.models import AttemptStatus, GroupAnswer, GroupPoll, GroupRound
from bot.db.session import dialect_insert
from bot.services.errors import Refused
from bot.services.quiz import draw, shuffled_order

ROUND_SIZES = range(3, 21)
DEFAULT_SIZE = 5
OPEN_PERIOD = 30
GAP_SECONDS = 3
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


def mask(first_name: str | None) -> str:
    """张三 → 张*: enough for classmates to recognise themselves, nothing stored beyond it."""
    name = (first_name or "").strip()
    return f"{name[0]}*" if name else "*"


class GroupQuizEngine:
    def __init__(self, bank: QuestionBank, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 rng: random.Random | None = None) -> None:  # fmt: skip
        self.bank = bank
        self.clock = clock
        self.rng = rng or random.Random()

    async def start(self, session: AsyncSession, *, chat_id: int, started_by: int, law: str | None,
                    size: int = DEFAULT_SIZE) -> GroupRound:  # fmt: skip
        if law is not None and law not in self.bank.by_law:
            raise Refused("group.unknown_law")
        if size not in ROUND_SIZES:
            raise Refused("group.bad_size")
        running = await session.scalar(
            select(GroupRound.id).where(GroupRound.chat_id == chat_id, GroupRound.status == OPEN)
        )
        if running is not None:
            raise Refused("group.running")
        pool = [q for q in self.bank.pool(law) if q.type is not QType.multiple]  # a quiz poll has one answer
        questions = draw(pool, size, "all", self.rng)
        round_ = GroupRound(chat_id=chat_id, started_by=started_by, law=law, open_period=OPEN_PERIOD,
                            question_ids=",".join(q.id for q in questions), sent=0, status=OPEN,
                            next_at=self.clock(), created_at=self.clock())  # fmt: skip
        session.add(round_)
        await session.flush()
        return round_

    async def stop(self, session: AsyncSession, *, chat_id: int) -> RoundTable | None:
        round_ = await session.scalar(
            select(GroupRound).where(GroupRound.chat_id == chat_id, GroupRound.status == OPEN)
        )
        if round_ is None:
            return None
        return await self._finish(session, round_)

    async def last_table(self, session: AsyncSession, *, chat_id: int) -> RoundTable | None:
        """The table of the group's most recent finished round."""
        round_ = await session.scalar(
            select(GroupRound).where(GroupRound.chat_id == chat_id, GroupRound.status == AttemptStatus.finished.value)
            .order_by(GroupRound.id.desc()).limit(1)
        )  # fmt: skip
        return await self._table(session, round_) if round_ is not None else None

    async def due(self, session: AsyncSession) -> list[GroupRound]:
        result = await session.scalars(
            select(GroupRound).where(GroupRound.status == OPEN, GroupRound.next_at <= self.clock()).limit(100)
        )
        return list(result.all())

    async def next_poll(self, session: AsyncSession, round_: GroupRound) -> PollToSend | RoundTable | None:
        """Claim the round's next step: the next poll to send, or the final table. None if another
        worker claimed it first."""
        ids = round_.question_ids.split(",")
        claimed = await session.execute(
            update(GroupRound)
            .where(GroupRound.id == round_.id, GroupRound.sent == round_.sent, GroupRound.status == OPEN)
            .values(sent=GroupRound.sent + 1,
                    next_at=self.clock() + timedelta(seconds=round_.open_period + GAP_SECONDS))
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
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
        session.add(GroupPoll(poll_id=poll_id, round_id=poll.round_id, position=poll.position,
                              question_id=poll.question.id, correct_option=poll.correct_option))  # fmt: skip

    async def record_answer(self, session: AsyncSession, *, poll_id: str, user_id: int, first_name: str | None,
                            option_ids: list[int]) -> bool:  # fmt: skip
        """Score one member's answer; an unknown poll, a retraction or a repeat changes nothing."""
        poll = await session.get(GroupPoll, poll_id)
        if poll is None or not option_ids:
            return False
        statement = dialect_insert(session, GroupAnswer).values(
            poll_id=poll_id, user_id=user_id, name=mask(first_name), correct=option_ids == [poll.correct_option],
            answered_at=self.clock(),
        ).on_conflict_do_nothing()  # fmt: skip
        result = await session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _finish(self, session: AsyncSession, round_: GroupRound) -> RoundTable:
        await session.execute(
            update(GroupRound).where(GroupRound.id == round_.id)
            .values(status=AttemptStatus.finished.value, finished_at=self.clock())
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        return await self._table(session, round_)

    async def _table(self, session: AsyncSession, round_: GroupRound) -> RoundTable:
        correct = func.sum(case((GroupAnswer.correct, 1), else_=0))
        result = await session.execute(
            select(GroupAnswer.user_id, func.max(GroupAnswer.name), correct, func.count(), func.max(GroupAnswer.answered_at))
            .join(GroupPoll, GroupPoll.poll_id == GroupAnswer.poll_id)
            .where(GroupPoll.round_id == round_.id)
            .group_by(GroupAnswer.user_id)
        )  # fmt: skip
        rows = sorted(result.all(), key=lambda r: (-int(r[2] or 0), r[4]))
        table = [
            TableRow(name=name, correct=int(right or 0), answered=int(n)) for _, name, right, n, _ in rows
        ]
        return RoundTable(round_.id, round_.chat_id, len(round_.question_ids.split(",")), table)

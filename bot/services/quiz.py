"""The quiz engine: draws, shuffling, answering, deadlines, scoring and the mistake book.

Every state change goes to the database in the caller's session, so a restarted bot (or a second copy)
carries on. Answers are claimed with a conditional UPDATE: a double tap, a replayed update or two
concurrent taps on the same button count once.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.questions import QType, Question, QuestionBank
from bot.db import quiz as q
from bot.db.models import Attempt, AttemptMode, AttemptQuestion, AttemptStatus, Role, User
from bot.services.errors import Refused

LENGTHS = (10, 20)
EXAM_LENGTH = 20
EXAM_MINUTES = 15
CHALLENGE_SECONDS = 30
CHALLENGE_POOL = 100
REVIEW_LENGTH = 10
PASS, EXCELLENT = 60, 90

# How strongly each kind of user is drawn towards questions written for each audience.
WEIGHTS: dict[str, dict[str, float]] = {
    "primary": {"primary": 4, "all": 2, "secondary": 0.5, "staff": 0},
    "secondary": {"secondary": 4, "all": 2, "primary": 1, "staff": 0.25},
    "staff": {"staff": 4, "all": 2, "secondary": 1, "primary": 0.5},
    "all": {"all": 3, "primary": 1, "secondary": 1, "staff": 1},
}


def audience_of(user: User) -> str:
    if user.role == Role.student:
        return "primary" if (user.grade or 0) <= 6 else "secondary"
    if user.role in (Role.staff, Role.admin):
        return "staff"
    return "all"


def draw(pool: Sequence[Question], count: int, audience: str, rng: random.Random) -> list[Question]:
    """`count` distinct questions, weighted by audience (weighted sampling without replacement)."""
    weights = WEIGHTS[audience]
    keyed = []
    for question in pool:
        weight = weights.get(question.audience.value, 0)
        if weight > 0:
            keyed.append((rng.random() ** (1 / weight), question.id, question))
    keyed.sort(reverse=True)
    return [question for _, _, question in keyed[:count]]


def shuffled_order(question: Question, rng: random.Random) -> list[int]:
    """Display order of the original options; 对/错 keep their order."""
    order = list(range(len(question.choices)))
    if question.type is not QType.judge:
        rng.shuffle(order)
    return order


def encode(indices: Sequence[int]) -> str:
    return "".join(str(i) for i in indices)


def decode(text: str | None) -> list[int]:
    return [int(c) for c in text or ""]


@dataclass(frozen=True)
class QuestionView:
    """What the user sees for one question of an attempt."""

    attempt_id: int
    position: int
    total: int
    mode: AttemptMode
    law: str | None
    question: Question
    options: list[str]  # in display order
    picks: frozenset[int] = frozenset()  # displayed indices ticked (multiple choice)
    deadline: datetime | None = None


@dataclass(frozen=True)
class Feedback:
    """The outcome of one answer, for the message that showed the question."""

    view: QuestionView
    correct: bool
    chosen: frozenset[int]  # displayed indices
    right: frozenset[int]  # displayed indices of the correct options
    late: bool = False


@dataclass(frozen=True)
class Summary:
    attempt_id: int
    user_id: int
    mode: AttemptMode
    law: str | None
    status: AttemptStatus
    answered: int
    correct: int
    total: int
    score: int
    seconds: int
    passed: bool
    excellent: bool
    wrong: list[tuple[Question, list[str]]] = field(default_factory=list)  # question, correct option texts
    best: int | None = None  # challenge: personal best before this run


@dataclass(frozen=True)
class AnswerResult:
    duplicate: bool = False  # the answer was already recorded: nothing changed
    feedback: Feedback | None = None
    next: QuestionView | None = None  # exam/challenge: the next question to send now
    summary: Summary | None = None  # the attempt ended


class QuizEngine:
    def __init__(
        self,
        bank: QuestionBank,
        tz: ZoneInfo,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
    ) -> None:
        self.bank = bank
        self.tz = tz
        self.clock = clock
        self.rng = rng or random.Random()

    def now(self) -> datetime:
        return self.clock()

    # -- starting ------------------------------------------------------------------------------------
    def laws_for(self, user: User) -> list[tuple[str, int]]:
        """(law slug, number of questions this user can be drawn) for every law with questions for them."""
        weights = WEIGHTS[audience_of(user)]
        counts = {
            law: sum(1 for x in questions if weights.get(x.audience.value, 0) > 0)
            for law, questions in self.bank.by_law.items()
        }
        return [(law, n) for law, n in counts.items() if n > 0]

    async def start(
        self, session: AsyncSession, user: User, *, law: str | None, mode: AttemptMode, length: int = 10
    ) -> QuestionView:
        if law is not None and law not in self.bank.by_law:
            raise Refused()
        if mode is AttemptMode.practice and length not in LENGTHS:
            raise Refused()
        now = self.now()
        pool = self.bank.pool(law)
        count = {AttemptMode.exam: EXAM_LENGTH, AttemptMode.challenge: CHALLENGE_POOL}.get(mode, length)
        questions = draw(pool, count, audience_of(user), self.rng)
        if not questions:
            raise Refused("quiz.no_questions")
        deadline = {
            AttemptMode.exam: now + timedelta(minutes=EXAM_MINUTES),
            AttemptMode.challenge: now + timedelta(seconds=CHALLENGE_SECONDS),
        }.get(mode)
        return await self._create(session, user, law, mode, questions, deadline)

    async def start_review(self, session: AsyncSession, user: User) -> QuestionView:
        """Redo up to ten questions from the mistake book, with feedback."""
        ids = await q.mistake_ids(session, user_id=user.id)
        questions = [x for x in (self.bank.get(i) for i in ids) if x is not None][:REVIEW_LENGTH]
        if not questions:
            raise Refused("mistakes.empty")
        return await self._create(session, user, None, AttemptMode.review, questions, None)

    async def _create(
        self,
        session: AsyncSession,
        user: User,
        law: str | None,
        mode: AttemptMode,
        questions: list[Question],
        deadline: datetime | None,
    ) -> QuestionView:
        now = self.now()
        await q.abandon_open(session, user_id=user.id, now=now)
        rows = [
            {
                "position": i,
                "question_id": x.id,
                "option_order": encode(shuffled_order(x, self.rng)),
                "picks": "",
            }
            for i, x in enumerate(questions)
        ]
        attempt = Attempt(
            user_id=user.id, mode=mode.value, law=law, total=len(questions), position=0, shown=1, correct=0,
            status=AttemptStatus.open.value, started_at=now, deadline_at=deadline,
        )  # fmt: skip
        await q.create_attempt(session, attempt=attempt, rows=rows)
        return self._view(attempt, rows[0]["question_id"], rows[0]["option_order"], "", 0)  # type: ignore[arg-type]

    # -- reading -------------------------------------------------------------------------------------
    def _view(
        self, attempt: Attempt, question_id: str, order: str, picks: str, position: int
    ) -> QuestionView:
        question = self.bank.get(question_id)
        if question is None:  # the question was removed from the bank since the attempt began
            raise Refused("quiz.question_gone")
        return QuestionView(
            attempt_id=attempt.id, position=position, total=attempt.total, mode=AttemptMode(attempt.mode),
            law=attempt.law or question.law, question=question,
            options=[question.choices[i] for i in decode(order)], picks=frozenset(decode(picks)),
            deadline=_aware(attempt.deadline_at),
        )  # fmt: skip

    async def open_attempt(self, session: AsyncSession, user: User) -> Attempt | None:
        return await q.open_attempt(session, user_id=user.id)

    async def current(self, session: AsyncSession, user: User, attempt_id: int) -> QuestionView:
        """The question the attempt is at (to resume after a restart or from /quiz)."""
        attempt, rows = await self._load(session, user, attempt_id, None)
        row = rows.get(attempt.position)
        if row is None:
            raise Refused()
        return self._view(attempt, row.question_id, row.option_order, row.picks, row.position)

    async def _load(
        self, session: AsyncSession, user: User, attempt_id: int, position: int | None
    ) -> tuple[Attempt, dict[int, AttemptQuestion]]:
        """The user's own attempt with the rows needed; refuses another user's or a closed attempt."""
        positions = (position, position + 1) if position is not None else ()
        attempt, rows = await q.attempt_with_rows(session, attempt_id=attempt_id, positions=positions)
        if attempt is None or attempt.user_id != user.id:
            raise Refused("quiz.not_yours")
        if attempt.status != AttemptStatus.open.value:
            raise Refused("quiz.closed")
        if position is None:
            _, rows = await q.attempt_with_rows(session, attempt_id=attempt_id, positions=(attempt.position,))
        return attempt, rows

    # -- answering -----------------------------------------------------------------------------------
    async def toggle(
        self, session: AsyncSession, user: User, attempt_id: int, position: int, option: int, on: bool
    ) -> QuestionView | None:
        """Tick or untick one option of a multiple-choice question. Idempotent: the button says which."""
        attempt, rows = await self._load(session, user, attempt_id, position)
        row = rows.get(position)
        if row is None or position != attempt.position or row.answered_at is not None:
            return None
        question = self.bank.get(row.question_id)
        if question is None or question.type is not QType.multiple or not 0 <= option < len(question.choices):
            raise Refused()
        picks = set(decode(row.picks))
        picks = picks | {option} if on else picks - {option}
        await q.set_picks(session, attempt_id=attempt_id, position=position, picks=encode(sorted(picks)))
        return self._view(attempt, row.question_id, row.option_order, encode(sorted(picks)), position)

    async def answer(
        self,
        session: AsyncSession,
        user: User,
        attempt_id: int,
        position: int,
        displayed: frozenset[int] | None = None,
    ) -> AnswerResult:
        """Answer question `position` with the displayed options `displayed` (None: the ticked picks)."""
        attempt, rows = await self._load(session, user, attempt_id, position)
        row = rows.get(position)
        if row is None:
            raise Refused()
        if position != attempt.position or row.answered_at is not None:
            return AnswerResult(duplicate=True)
        question = self.bank.get(row.question_id)
        if question is None:
            raise Refused("quiz.question_gone")
        order = decode(row.option_order)
        chosen = frozenset(decode(row.picks)) if displayed is None else displayed
        if not chosen or any(not 0 <= i < len(order) for i in chosen):
            raise Refused("quiz.pick_first" if not chosen else "error.stale_button")
        if question.type is not QType.multiple and len(chosen) != 1:
            raise Refused()
        now = self.now()
        deadline = _aware(attempt.deadline_at)
        late = deadline is not None and now > deadline
        original = frozenset(order[i] for i in chosen)
        correct = original == question.correct and not late
        if late and AttemptMode(attempt.mode) is AttemptMode.exam:
            summary = await self._finish(session, attempt, AttemptStatus.expired)
            return AnswerResult(summary=summary)
        if not await q.claim_answer(session, attempt_id=attempt.id, position=position,
                                    chosen=encode(sorted(original)), correct=correct, now=now):  # fmt: skip
            return AnswerResult(duplicate=True)
        mode = AttemptMode(attempt.mode)
        next_deadline = now + timedelta(seconds=CHALLENGE_SECONDS) if mode is AttemptMode.challenge else None
        await q.advance(session, attempt_id=attempt.id, correct=correct, deadline=next_deadline)
        await self._book(session, user.id, question, correct)
        attempt.position += 1
        attempt.correct += int(correct)
        if next_deadline is not None:
            attempt.deadline_at = next_deadline
        view = self._view(attempt, row.question_id, row.option_order, row.picks, position)
        right = frozenset(i for i, original_index in enumerate(order) if original_index in question.correct)
        feedback = Feedback(view=view, correct=correct, chosen=chosen, right=right, late=late)
        ended = attempt.position >= attempt.total or (mode is AttemptMode.challenge and not correct)
        if ended:
            return AnswerResult(
                feedback=feedback, summary=await self._finish(session, attempt, AttemptStatus.finished)
            )
        following = None
        if mode in (AttemptMode.exam, AttemptMode.challenge):
            nxt = rows.get(position + 1)
            if nxt is not None:
                attempt.shown = position + 2
                following = self._view(attempt, nxt.question_id, nxt.option_order, nxt.picks, position + 1)
        return AnswerResult(feedback=feedback, next=following)

    async def next_question(
        self, session: AsyncSession, user: User, attempt_id: int, position: int
    ) -> QuestionView | None:
        """Practice: the 下一题 button. Sends question `position` once, however often it is pressed."""
        attempt, rows = await self._load(session, user, attempt_id, position)
        row = rows.get(position)
        if row is None or not await q.claim_shown(session, attempt_id=attempt_id, position=position):
            return None
        return self._view(attempt, row.question_id, row.option_order, row.picks, position)

    async def set_message(self, session: AsyncSession, view: QuestionView, message_id: int) -> None:
        await q.set_message(
            session, attempt_id=view.attempt_id, position=view.position, message_id=message_id
        )

    async def _book(self, session: AsyncSession, user_id: int, question: Question, correct: bool) -> None:
        today = self.now().astimezone(self.tz).date()
        if correct:
            await q.note_correct(session, user_id=user_id, question_id=question.id, today=today)
        else:
            await q.note_mistake(session, user_id=user_id, question_id=question.id, today=today)

    # -- ending --------------------------------------------------------------------------------------
    async def _finish(self, session: AsyncSession, attempt: Attempt, status: AttemptStatus) -> Summary | None:
        mode = AttemptMode(attempt.mode)
        best = None
        if mode is AttemptMode.challenge:
            scores = await q.best_scores(session, user_id=attempt.user_id)
            best = max((s for law, m, s, _ in scores if m == mode.value and law == attempt.law), default=0)
        score = (
            attempt.correct
            if mode is AttemptMode.challenge
            else round(100 * attempt.correct / max(attempt.total, 1))
        )
        if not await q.finish(session, attempt_id=attempt.id, status=status, score=score, now=self.now()):
            return None
        rows = await q.answered_rows(session, attempt_id=attempt.id)
        return self._summary(attempt, status, score, rows, best)

    def _summary(
        self,
        attempt: Attempt,
        status: AttemptStatus,
        score: int,
        rows: list[AttemptQuestion],
        best: int | None,
    ) -> Summary:
        mode = AttemptMode(attempt.mode)
        answered = [r for r in rows if r.answered_at is not None]
        wrong = []
        for row in rows:
            question = self.bank.get(row.question_id)
            missed = row.answered_at is None and mode is not AttemptMode.challenge
            if question is not None and (row.correct is False or missed):
                wrong.append((question, [question.choices[i] for i in sorted(question.correct)]))
        started = _aware(attempt.started_at) or self.now()
        total = attempt.total if mode is not AttemptMode.challenge else len(answered)
        return Summary(
            attempt_id=attempt.id, user_id=attempt.user_id, mode=mode, law=attempt.law, status=status,
            answered=len(answered), correct=attempt.correct, total=total, score=score,
            seconds=max(0, math.floor((self.now() - started).total_seconds())),
            passed=mode is not AttemptMode.challenge and score >= PASS,
            excellent=mode is not AttemptMode.challenge and score >= EXCELLENT, wrong=wrong, best=best,
        )  # fmt: skip

    async def expire_due(self, session: AsyncSession) -> list[Summary]:
        """Close attempts whose deadline passed (the periodic job). Unanswered questions count as wrong."""
        summaries = []
        for attempt in await q.due_attempts(session, now=self.now()):
            summary = await self._finish(session, attempt, AttemptStatus.expired)
            if summary is not None:
                summaries.append(summary)
        return summaries

    async def abandon(self, session: AsyncSession, user: User) -> None:
        await q.abandon_open(session, user_id=user.id, now=self.now())

    # -- records -------------------------------------------------------------------------------------
    async def mistakes(self, session: AsyncSession, user: User) -> list[Question]:
        ids = await q.mistake_ids(session, user_id=user.id)
        return [x for x in (self.bank.get(i) for i in ids) if x is not None]

    async def scores(
        self, session: AsyncSession, user: User
    ) -> tuple[list[Attempt], list[tuple[str | None, str, int, int]]]:
        return await q.recent_attempts(session, user_id=user.id), await q.best_scores(
            session, user_id=user.id
        )


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)

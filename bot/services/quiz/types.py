"""What the quiz engine reads and hands back: attempts as it reads them, the question a button
belongs to, question views, feedback, summaries and answer results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.content.campaigns import Campaign, Reveal, Shows
from bot.content.questions import Question
from bot.domain import AttemptMode, AttemptStatus
from bot.services.quiz.draw import decode


class AttemptState(Protocol):
    """An attempt as the engine reads it: the ORM row, or the row an UPDATE ... RETURNING gave back."""

    id: int
    user_id: int
    mode: str
    law: str | None
    campaign_id: str | None
    total: int
    started_at: datetime
    deadline_at: datetime | None
    pass_mark: int
    excellent_mark: int


class AnswerRow(Protocol):
    """One question of an attempt as the summary reads it."""

    question_id: str
    correct: bool | None
    answered_at: datetime | None


@dataclass(frozen=True)
class QuestionRef:
    """Which question a button belongs to, as its callback data says. Untrusted: an answer is recorded
    only where the database agrees on attempt, owner, position, question and option order."""

    attempt_id: int
    position: int
    question_id: str
    order: str  # original option indices in display order

    @property
    def indices(self) -> list[int]:
        return decode(self.order)


@dataclass(frozen=True)
class QuestionView:
    """What the user sees for one question of an attempt."""

    ref: QuestionRef
    total: int
    mode: AttemptMode
    law: str | None
    question: Question
    deadline: datetime | None = None

    @property
    def position(self) -> int:
        return self.ref.position

    @property
    def attempt_id(self) -> int:
        return self.ref.attempt_id

    @property
    def options(self) -> list[str]:
        """The options in display order."""
        return [self.question.choices[i] for i in self.ref.indices]


@dataclass(frozen=True)
class Feedback:
    """The outcome of one answer, for the message that showed the question."""

    view: QuestionView
    correct: bool
    chosen: frozenset[int]  # displayed indices
    right: frozenset[int]  # displayed indices of the correct options
    late: bool = False


@dataclass(frozen=True)
class ReviewItem:
    """One question in the review after an attempt: whether it was answered right, and its correct
    options' texts when they may be shown (None: not yet)."""

    question: Question
    correct: bool
    answers: list[str] | None
    answered: bool = True  # False: time ran out before it was answered (wrong, but no mistake made)


@dataclass(frozen=True)
class Counted:
    score: int
    passed: bool
    excellent: bool


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
    # what the review shows: the questions listed (per `shows`), with answers only where they may be seen
    items: list[ReviewItem] = field(default_factory=list)
    best: int | None = None  # challenge: personal best before this run
    campaign_id: str | None = None
    shows: Shows = Shows.wrong_only
    reveal: Reveal | None = None  # a campaign's answers not shown yet: when they will be (None: shown)
    attempts_left: int | None = None  # a campaign's attempts the user may still start, as it ended
    campaign_over: bool = False  # its campaign has ended: none may be started, whatever is left
    # a campaign's attempt that counts when it is an earlier, better one than this (its score, and whether
    # it passed and excelled): a weaker retake said 不合格 alone, as if the year's exam were failed
    counted: Counted | None = None

    @property
    def counts_as_passed(self) -> bool:
        """Whether the attempt that counts passed: this one, or an earlier, better one (a weaker retake had
        offered no certificate, though the year's exam was passed)."""
        return self.passed or (self.counted is not None and self.counted.passed)

    @property
    def mistakes(self) -> list[ReviewItem]:
        """The questions answered wrong: what joins the mistake book (not those time ran out on)."""
        return [item for item in self.items if not item.correct and item.answered]


@dataclass(frozen=True)
class Expired:
    """An attempt closed by its deadline, for the message to its owner."""

    summary: Summary
    language: str | None


@dataclass(frozen=True)
class AnswerResult:
    duplicate: bool = False  # the answer was already recorded: nothing changed
    # with a repeat: the question the attempt is at now, shown again (its first showing may have failed)
    current: QuestionView | None = None
    feedback: Feedback | None = None  # with a repeat in practice: the answer's feedback, shown again
    next: QuestionView | None = None  # exam/challenge: the next question to send now
    summary: Summary | None = None  # the attempt ended
    language: str | None = None  # the user's chosen language, read with the answer (None: not known)


@dataclass(frozen=True)
class MistakeBook:
    """The mistake book's questions, most recent mistake first, and whether a campaign's mistakes are
    still held back (its answers are not shown yet: they join once they are)."""

    questions: list[Question]
    held_back: bool


@dataclass(frozen=True)
class GivenUp:
    """An exam the user gave up: a campaign's (which used up one of its attempts), or a practice mock exam
    (None)."""

    campaign: Campaign | None

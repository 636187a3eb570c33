"""The words every layer shares: roles, attempt modes and statuses, what an admin may see (Scope), and
the small named result types that cross layers. No database, no Telegram, no content here."""

from __future__ import annotations

import enum
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class Role(enum.StrEnum):
    student = "student"
    staff = "staff"
    parent = "parent"
    admin = "admin"


MAX_OPTIONS = 6  # a choice question's options at most (bot/content/questions.py)
DEPARTMENT_LENGTH = 20  # a staff department's name at most (schools.yaml, users.department)
# An enrollment question at most (a longer message is refused, not read), kept whole for the curators and
# /unanswered (faq_queries.text, and faq_alternates.text when a curator adds it as a wording)
QUESTION_LENGTH = 1000


class AttemptMode(enum.StrEnum):
    practice = "practice"  # feedback after every question
    exam = "exam"  # no feedback until the end; a deadline for the whole attempt
    challenge = "challenge"  # until the first wrong answer; a deadline per question
    review = "review"  # redoing the mistake book, with feedback
    reading = "reading"  # the daily reading's one question, with feedback: no score, pass or record

    @property
    def sends_next(self) -> bool:
        """Whether an answer comes with the next question (exam, challenge), not with feedback and 下一题."""
        return self in (AttemptMode.exam, AttemptMode.challenge)

    @property
    def timed(self) -> bool:
        """Whether its time can run out (an exam's deadline, a challenge's seconds per question)."""
        return self in (AttemptMode.exam, AttemptMode.challenge)


class AttemptStatus(enum.StrEnum):
    open = "open"
    finished = "finished"
    expired = "expired"
    abandoned = "abandoned"


@dataclass(frozen=True)
class Scope:
    """What an admin may see: the whole district, some schools, or some classes; with `verified_only`,
    only the members whose class a join link confirmed (`/stats verified`, `/export verified`); with
    `roles`, only users of those roles (a campaign's audience, as its figures are read: a teacher who later
    joined a class as a pupil takes no staff exam result into the class)."""

    district: bool = False
    schools: frozenset[str] = frozenset()
    classes: frozenset[tuple[str, int, int]] = frozenset()  # (school, grade, class)
    verified_only: bool = False
    roles: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.district or self.schools or self.classes)

    def has_none_of(self, roles: Sequence[str]) -> bool:
        """Whether the scope is classes only and a campaign for `roles` has no pupils in it: a class
        teacher's /missing or /stats of the staff exam (it had listed their pupils' numbers as never joined,
        and printed an empty report)."""
        return bool(self.classes) and not (self.district or self.schools) and "student" not in roles

    @property
    def named_schools(self) -> frozenset[str]:
        """The schools the scope names: its schools and its classes' (none for the district, which is
        every school without naming one)."""
        return frozenset() if self.district else self.schools | {school for school, _, _ in self.classes}


@dataclass(frozen=True)
class Row:
    """One line of a report. `participants` took part: for an exam 参考 (submitted or timed out), for a
    contest 参与, for a reading its subscribers; `completed` (完成) submitted. Rates are over those who
    took part; participation is over `enrolled`, the audience's roster figure (0: not known), and
    `exact` is False when that figure is an estimate (a grade range shared out evenly)."""

    key: str
    label: str
    participants: int
    completed: int
    passed: int
    excellent: int
    mean: float
    enrolled: int
    exact: bool = True

    @property
    def roster_problem(self) -> bool:
        """More took part than the roster has: the roster figure is wrong, and no rate is shown."""
        return 0 < self.enrolled < self.participants

    @property
    def participation(self) -> float | None:
        return self.participants / self.enrolled if self.enrolled and not self.roster_problem else None

    @property
    def average(self) -> float | None:
        """The mean score, None (not 0) when nobody took part."""
        return self.mean if self.participants else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.participants if self.participants else None

    @property
    def excellence_rate(self) -> float | None:
        return self.excellent / self.participants if self.participants else None


@dataclass(frozen=True)
class ChartData:
    """What /chart draws: completions per day and rates per school."""

    title: str  # the campaign's
    days: list[tuple[date, int]]  # completions per day
    rates: list[tuple[str, float, float]]  # school, pass rate, excellence rate (0-100)
    absent: list[str] = field(default_factory=list)  # schools in scope where nobody took part


@dataclass(frozen=True)
class Sheet:
    """One sheet of an export: `key` names its CSV file; `title` and the column headers are in the
    admin's language; `percent` columns hold rates (0-1) shown as percentages with one decimal."""

    key: str
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]  # read once per file written: a list, or PackedRows
    percent: frozenset[int] = frozenset()  # column positions
    percent_rows: frozenset[int] = frozenset()  # row positions, from 0 after the header


class PackedRows:
    """Many rows kept compactly, for an export's people (a province: half a million): appended as they
    are read, kept as pickled chunks of CHUNK rows (about a fifth of the memory of the tuples
    themselves), and unpacked a chunk at a time while a sheet is written. Pickling sends the chunks as
    they are (to the worker process that writes the workbook)."""

    CHUNK = 2_000

    def __init__(self, rows: Iterable[tuple[Any, ...]] = ()) -> None:
        self._chunks: list[bytes] = []
        self._open: list[tuple[Any, ...]] = []
        self._count = 0
        for row in rows:
            self.append(row)

    def append(self, row: tuple[Any, ...]) -> None:
        self._open.append(row)
        self._count += 1
        if len(self._open) == self.CHUNK:
            self._chunks.append(pickle.dumps(self._open, protocol=pickle.HIGHEST_PROTOCOL))
            self._open = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for chunk in self._chunks:
            yield from pickle.loads(chunk)  # noqa: S301 (made by this class, in this program)
        yield from self._open


@dataclass(frozen=True)
class BestScore:
    """A user's best score in one law (None: all laws mixed) and mode, or in one campaign, over
    `attempts` finished ones."""

    law: str | None
    mode: str
    score: int
    attempts: int
    campaign: str | None = None


@dataclass(frozen=True)
class Standing:
    """A participant's counted result in a campaign and their rank in class and school."""

    score: int
    seconds: int
    class_rank: int
    class_size: int
    school_rank: int
    school_size: int


@dataclass(frozen=True)
class ChosenName:
    """A name a user chose for rank tables, with where they registered, as an admin over them sees it."""

    user_id: int
    name: str
    shown: bool  # in full in the tables; else masked (张*)
    school_id: str | None
    grade: int | None
    class_no: int | None


@dataclass(frozen=True)
class BoardEntry:
    """One line of a class board: the name a pupil chose (shown masked unless they said otherwise)."""

    name: str | None
    show_name: bool
    score: int
    seconds: int

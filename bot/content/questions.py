"""Question banks: `quizzes/<law-slug>/*.yaml`, each a list of questions, validated against the statutes.

Answers are written as letters of the options as listed (single `B`, multiple `ACD`) or 对/错 for judge
questions; the bot shuffles options per attempt, so letters never reach users.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from rapidfuzz import fuzz
from rapidfuzz.process import extract

from bot.content.laws import LawLibrary
from bot.content.yamlfile import Report, display_path, line_of, read_yaml, validate
from bot.domain import MAX_OPTIONS

LETTERS = "ABCDEF"
JUDGE_OPTIONS = ("对", "错")
MAX_EXPLANATION = 200
NEAR_DUPLICATE = 90
ARTICLE_NUMBER_IN_STEM = re.compile(r"第[一二三四五六七八九十百千零\d]+条")
CATCH_ALL = re.compile(r"以上(都|均|皆|全)")
# Stems that ask to recall an article's number or a bare range (quizzes/README.md rules them out); a
# question that must ask one says so with the tag INTENTIONAL.
RECALL = re.compile(
    r"第几[条款项]|哪一条|多少日以[上下]|几日以[上下]|多少天以[上下]|多少元以[上下]|罚款多少|拘留多少|多少元罚款"
)
INTENTIONAL = "intentional"


class QType(StrEnum):
    single = "single"
    multiple = "multiple"
    judge = "judge"


class Audience(StrEnum):
    primary = "primary"
    secondary = "secondary"
    staff = "staff"
    all = "all"


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str | int) else value


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z]{2,5}-\d{3,4}$")
    law: str
    articles: tuple[int, ...] = Field(min_length=1)
    type: QType
    stem: str = Field(min_length=4, max_length=300)
    options: tuple[str, ...] = ()
    answer: str
    explanation: str = Field(min_length=4)
    evidence: Annotated[tuple[str, ...], BeforeValidator(_as_list)] = Field(min_length=1)
    audience: Audience
    difficulty: int = Field(ge=1, le=3)
    tags: tuple[str, ...] = ()

    @field_validator("answer", mode="before")
    @classmethod
    def _answer_text(cls, value: Any) -> str:
        return str(value).strip().upper() if value is not None else ""

    @field_validator("explanation")
    @classmethod
    def _explanation(cls, value: str) -> str:
        if len(value) > MAX_EXPLANATION:
            raise ValueError(f"explanation too long ({len(value)} > {MAX_EXPLANATION} characters)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.type is QType.judge:
            if self.options:
                raise ValueError("judge questions have no options (they are always 对/错)")
            if self.answer not in JUDGE_OPTIONS:
                raise ValueError("answer not among options: a judge answer is 对 or 错")
            return self
        if not 2 <= len(self.options) <= MAX_OPTIONS:
            raise ValueError(f"options: a choice question has 2 to {MAX_OPTIONS} options")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options: two options are the same")
        if any(CATCH_ALL.search(o) for o in self.options):
            raise ValueError("options: no 以上都对/以上都不对 (options are shuffled)")
        letters = LETTERS[: len(self.options)]
        if (
            not self.answer
            or any(c not in letters for c in self.answer)
            or len(set(self.answer)) != len(self.answer)
        ):
            raise ValueError(f"answer {self.answer!r} not among options {letters}")
        if self.type is QType.single and len(self.answer) != 1:
            raise ValueError("a single-choice question has exactly one answer")
        if self.type is QType.multiple and len(self.answer) < 2:
            raise ValueError("a multiple-choice question with one answer: make it single")
        return self

    @functools.cached_property
    def choices(self) -> tuple[str, ...]:
        """What the user chooses from: the options, or 对/错."""
        return JUDGE_OPTIONS if self.type is QType.judge else self.options

    @functools.cached_property
    def correct(self) -> frozenset[int]:
        """Indices (into `choices`) of the correct options."""
        if self.type is QType.judge:
            return frozenset({JUDGE_OPTIONS.index(self.answer)})
        return frozenset(LETTERS.index(c) for c in self.answer)


class QuestionBank:
    def __init__(self, questions: Iterable[Question]) -> None:
        self.questions: dict[str, Question] = {q.id: q for q in questions}
        self.by_law: dict[str, list[Question]] = {}
        for q in self.questions.values():
            self.by_law.setdefault(q.law, []).append(q)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def pool(self, law: str | None) -> list[Question]:
        """Questions of one law, or of all laws for None (综合)."""
        return list(self.questions.values()) if law is None else list(self.by_law.get(law, []))


def check_question(q: Question, laws: LawLibrary, folder_law: str) -> list[str]:
    """Problems of one valid-shaped question against the statutes (those against its own law's text are
    skipped when that law failed to load: see `LawLibrary.unchecked`)."""
    law = laws.get(q.law)
    if law is None and laws.unchecked(q.law) is None:
        return [f"unknown law {q.law!r}"]
    problems = []
    if q.law != folder_law:
        problems.append(f"law {q.law!r} does not match its folder {folder_law!r}")
    if law is not None:
        missing = [n for n in q.articles if n not in law.articles]
        if missing:
            problems.append(f"article {', '.join(map(str, missing))} not in {law.title}")
        for passage in q.evidence:
            if not missing and not law.contains(passage, list(q.articles)):
                problems.append(f"evidence not found verbatim in the cited articles: {passage[:24]}…")
    if ARTICLE_NUMBER_IN_STEM.search(q.stem):
        problems.append("the stem asks about an article number; ask what people need to know instead")
    return problems


def load_questions(folder: Path, laws: LawLibrary, report: Report) -> QuestionBank | None:
    """Every question under `folder`, each checked; `file:line: id: problem` for each failure. None when
    any of them has a problem (problems of other content, e.g. a law that failed to load, do not count)."""
    start = report.mark()
    loaded: list[tuple[Question, str, int]] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*/*.yaml")):
        where = display_path(path)
        data = read_yaml(path, report)
        if data is None:
            continue
        if not isinstance(data, list):
            report.error(where, line_of(data), "a question file is a YAML list of questions")
            continue
        for raw in data:
            line = line_of(raw)
            qid = str(raw.get("id", "?")) if isinstance(raw, dict) else "?"
            question = validate(Question, raw, path, report, label=qid)
            if question is None:
                continue
            if question.id in seen:
                report.error(where, line, f"{qid}: duplicate id (also at {seen[question.id]})")
                continue
            seen[question.id] = f"{where}:{line}"
            if why := laws.unchecked(question.law):
                report.skipped(where, line, f"questions not checked against the statute text: {why}")
            for problem in check_question(question, laws, path.parent.name):
                report.error(where, line, f"{qid}: {problem}")
            if RECALL.search(question.stem) and INTENTIONAL not in question.tags:
                report.warn(where, line, f"{qid}: the stem asks to recall an article number or a bare range; ask what "
                                         f"people need to know and do (or tag it '{INTENTIONAL}')")  # fmt: skip
            loaded.append((question, where, line))
    _near_duplicates(loaded, report)
    return QuestionBank(q for q, _, _ in loaded) if report.clean_since(start) else None


def _near_duplicates(loaded: list[tuple[Question, str, int]], report: Report) -> None:
    stems = [q.stem for q, _, _ in loaded]
    for i, stem in enumerate(stems):
        later = stems[i + 1 :]
        for _, score, offset in extract(
            stem, later, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE, limit=None
        ):
            q, where, line = loaded[i + 1 + offset]
            report.error(where, line, f"{q.id}: near-duplicate stem of {loaded[i][0].id} "
                                      f"(similarity {score:.0f} >= {NEAR_DUPLICATE})")  # fmt: skip

"""Campaigns from `content/campaigns/*.yaml`: the staff law exam, Constitution Day contests, daily
Constitution reading. Times are local (TIMEZONE)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.content.laws import LawLibrary
from bot.content.questions import QuestionBank
from bot.content.yamlfile import Report, display_path, line_at, read_yaml, validate

_NO_BANK = "blueprint question counts and reading questions not checked: the question bank failed to load"


class Kind(StrEnum):
    exam = "exam"
    contest = "contest"
    reading = "reading"


class Audience(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: tuple[str, ...] = Field(min_length=1)  # student | staff | parent
    grades: tuple[int, int] | None = None  # inclusive range, for students

    @model_validator(mode="after")
    def _check(self) -> Audience:
        if not set(self.roles) <= {"student", "staff", "parent"}:
            raise ValueError("roles are student, staff or parent")
        if self.grades is not None and not 1 <= self.grades[0] <= self.grades[1] <= 12:
            raise ValueError("grades is a range [low, high] within 1..12")
        return self

    def admits(self, role: str | None, grade: int | None) -> bool:
        if role not in self.roles:
            return False
        if role == "student" and self.grades is not None:
            return grade is not None and self.grades[0] <= grade <= self.grades[1]
        return True


class Blueprint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    laws: dict[str, int] = Field(min_length=1)  # law slug → number of questions
    difficulty: dict[int, float] = {}  # share of questions per difficulty 1–3 (empty: any)
    minutes: int = Field(default=20, ge=1, le=180)

    @property
    def total(self) -> int:
        return sum(self.laws.values())


class Shows(StrEnum):
    """What the review after an attempt shows."""

    none = "none"  # that the answers were handed in, nothing more
    score = "score"  # the score and the result
    wrong_only = "wrong_only"  # the score, and which questions were wrong
    full = "full"  # the score, and every question marked right or wrong


class Reveal(StrEnum):
    """When the review (and the mistake book) may show a campaign's correct answers."""

    always = "always"  # after each attempt
    after_last_attempt = "after_last_attempt"  # once the user has used every attempt (or it closed)
    after_close = "after_close"  # once the campaign has closed


class Review(BaseModel):
    """What a participant sees of an attempt when it ends (Moodle's review options, in short)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shows: Shows = Shows.wrong_only
    answers: Reveal = Reveal.after_close

    def reveals(self, *, closed: bool, attempts_used: int, attempts: int) -> bool:
        """Whether the correct answers may be shown now."""
        if self.answers is Reveal.always or closed:
            return True
        return self.answers is Reveal.after_last_attempt and attempts_used >= attempts


class ReadingDay(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    day: dt.date
    law: str
    article: int


class Reading(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time: dt.time = dt.time(7, 30)
    plan: tuple[ReadingDay, ...] = Field(min_length=1)

    def for_day(self, day: dt.date) -> ReadingDay | None:
        return next((p for p in self.plan if p.day == day), None)


class Reports(BaseModel):
    """When the admins in scope get the campaign's summary and workbook without asking (local times)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    daily: dt.time | None = None  # every day of the window, at this time
    at_end: bool = False  # once, when the window closes


class Campaign(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,39}$")
    title: str
    title_en: str = ""
    kind: Kind
    audience: Audience
    start: dt.datetime
    end: dt.datetime
    blueprint: Blueprint | None = None
    attempts: int = Field(default=1, ge=1, le=20)
    counts: str = Field(default="best", pattern="^(best|last)$")
    pass_mark: int = Field(default=60, ge=0, le=100, alias="pass")
    excellent: int = Field(default=90, ge=0, le=100)
    leaderboard: bool = True
    review: Review = Review()
    reading: Reading | None = None
    reports: Reports | None = None
    reminder: str = Field(default="", max_length=1000)  # /remind's text; empty: the locale's
    reminder_en: str = Field(default="", max_length=1000)  # its English text; empty: the English locale's

    def title_in(self, language: str) -> str:
        """The title in the user's language (English where the campaign has one)."""
        return self.title_en if language == "en" and self.title_en else self.title

    def reminder_in(self, language: str) -> str:
        """/remind's own text in that language ("" where the campaign has none: the locale's is sent)."""
        return self.reminder_en if language == "en" else self.reminder

    @model_validator(mode="after")
    def _check(self) -> Campaign:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.kind is not Kind.reading and self.blueprint is None:
            raise ValueError("exam and contest campaigns need a blueprint")
        if self.kind is Kind.reading and self.reading is None:
            raise ValueError("a reading campaign needs a reading plan")
        if self.excellent < self.pass_mark:
            raise ValueError("excellent must not be below pass")
        return self

    def window(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """Start and end as aware datetimes (the YAML times are local)."""
        return self.start.replace(tzinfo=tz), self.end.replace(tzinfo=tz)

    def closed(self, now: dt.datetime, tz: ZoneInfo) -> bool:
        return now >= self.window(tz)[1]

    def reveals(self, now: dt.datetime, tz: ZoneInfo, attempts_used: int) -> bool:
        """Whether a participant who has used `attempts_used` attempts may see the correct answers now."""
        return self.review.reveals(
            closed=self.closed(now, tz), attempts_used=attempts_used, attempts=self.attempts
        )


def load_campaigns(
    folder: Path, laws: LawLibrary, bank: QuestionBank | None, report: Report
) -> dict[str, Campaign]:
    """Every valid campaign, its references checked at their own lines. `bank` is None when the question
    bank failed to load: question counts and reading questions are then not checked (and it says so)."""
    campaigns: dict[str, Campaign] = {}
    for path in sorted(folder.glob("*.yaml")):
        start = report.mark()
        data = read_yaml(path, report)
        if data is None:
            if report.clean_since(start):  # emptied (an editor's or an upload's accident): a running campaign
                # had vanished on /reload with nothing said, its open exams then called practice (a robustness pass)
                report.error(
                    display_path(path), 1, "the campaign file is empty (delete the file to withdraw it)"
                )
            continue
        campaign = validate(
            Campaign, data, path, report, label=str(data.get("id", "?")) if isinstance(data, dict) else ""
        )
        if campaign is None:
            continue
        where = display_path(path)
        if campaign.id in campaigns:
            report.error(where, line_at(data, ["id"]), f"{campaign.id}: duplicate campaign id")
        campaigns[campaign.id] = campaign
        for law, count in campaign.blueprint.laws.items() if campaign.blueprint else ():
            line = line_at(data, ["blueprint", "laws", law])
            if why := laws.unchecked(law):
                report.skipped(where, line, f"campaign references not checked: {why}")
            elif law not in laws.laws:
                report.error(where, line, f"{campaign.id}: unknown law {law!r} in the blueprint")
            elif bank is None:
                report.skipped(where, line, _NO_BANK)
            elif (available := len(bank.pool(law))) < count:
                report.error(
                    where,
                    line,
                    f"{campaign.id}: blueprint asks {count} {law} questions, the bank has {available}",
                )
        for i, day in enumerate(campaign.reading.plan if campaign.reading else ()):
            line = line_at(data, ["reading", "plan", i])
            if why := laws.unchecked(day.law):
                report.skipped(where, line, f"campaign references not checked: {why}")
            elif laws.article(day.law, day.article) is None:
                report.error(
                    where,
                    line,
                    f"{campaign.id}: reading plan {day.day}: no article {day.article} in {day.law!r}",
                )
            elif bank is None:
                report.skipped(where, line, _NO_BANK)
            elif reading_question(bank, day) is None:
                report.warn(
                    where,
                    line,
                    f"{campaign.id}: reading plan {day.day}: no question cites that article; no check",
                )
    return campaigns


def reading_question(bank: QuestionBank, day: ReadingDay) -> str | None:
    """The check question for a reading day: the first (by id) that cites the day's article."""
    matching = sorted(
        q.id for q in bank.pool(day.law) if day.article in q.articles and q.type.value != "multiple"
    )
    return matching[0] if matching else None

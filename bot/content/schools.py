"""The district's org structure from `content/schools.yaml`: towns (镇街) → schools → grades."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from rapidfuzz import fuzz, process

from bot.content.yamlfile import Report, display_path, line_of, read_yaml, validate
from bot.domain import DEPARTMENT_LENGTH
from bot.parsing import NUMERALS, whole_number

SEARCH_LIMIT = 8
SEARCH_CUTOFF = 55
SEARCH_NEAR = 15  # points below the best match a school may be and still be listed
MAX_QUERY = 30
# words every school's name may hold: a typed name must share a character besides them (阳光小学 had been
# "found" as every 小学 of the district, and a pupil could pick one)
GENERIC = re.compile(r"九年一贯制|高级中学|幼儿园|小学|中学|学校|高中|初中|中心|街道|学|镇|区|第")

_NUMBER = r"\d{1,2}|十[一二]|[一二两三四五六七八九十]"
# a class typed by an admin: 5-1 (the usage's form), or as the bot names it, 五年级1班, 初二（3）班
CLASS_TEXT = re.compile(
    rf"(?P<grade>{_NUMBER})[-.·/](?P<class>{_NUMBER})班?"
    rf"|(?P<named_grade>{_NUMBER}|[初高][一二三])(?:年级|年)?[(]?(?P<named_class>{_NUMBER})[)]?班"
)
# full-width digits, dashes and brackets as typed on a phone (not NFKC, which reads ² as 2)
FULL_WIDTH = str.maketrans("０１２３４５６７８９－—–（）", "0123456789---()")
GRADE_WORDS = {"初一": "7", "初二": "8", "初三": "9", "高一": "10", "高二": "11", "高三": "12"}


class SchoolKind(StrEnum):
    kindergarten = "kindergarten"
    primary = "primary"
    junior = "junior"
    nine_year = "nine_year"
    senior = "senior"
    vocational = "vocational"


DEFAULT_GRADES: dict[SchoolKind, list[int]] = {
    SchoolKind.kindergarten: [],
    SchoolKind.primary: [1, 2, 3, 4, 5, 6],
    SchoolKind.junior: [7, 8, 9],
    SchoolKind.nine_year: list(range(1, 10)),
    SchoolKind.senior: [10, 11, 12],
    SchoolKind.vocational: [10, 11, 12],
}


MAX_DEPARTMENTS = 30  # a school's departments at most: one keyboard of buttons


class SchoolSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")
    name: str = Field(min_length=2, max_length=100)
    kind: SchoolKind
    grades: tuple[int, ...] | None = None
    classes: int = Field(default=0, ge=0, le=40)
    students: int = Field(default=0, ge=0)
    staff: int = Field(default=0, ge=0)
    class_sizes: dict[str, int] = {}  # "grade-class" → enrolled students, where known
    grade_students: dict[int, int] = {}  # grade → enrolled students, where known (sums to `students`)
    # Staff departments (教研组, 行政, 后勤) offered to the school's staff when they register; optional
    # for them, and the staff rows of reports are split by it. None listed: the question is never asked.
    departments: tuple[str, ...] = Field(default=(), max_length=MAX_DEPARTMENTS)

    @field_validator("departments")
    @classmethod
    def _departments(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            if not name.strip() or name != name.strip():
                raise ValueError(f"department {name!r} is empty or has spaces around it")
            if len(name) > DEPARTMENT_LENGTH:
                raise ValueError(f"department {name!r} is longer than {DEPARTMENT_LENGTH} characters")
            if ":" in name or not name.isprintable():
                raise ValueError(f"department {name!r} holds ':' or a control character")
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"departments listed twice: {', '.join(duplicates)}")
        return names

    @model_validator(mode="after")
    def _class_keys(self) -> SchoolSpec:
        for key in self.class_sizes:
            grade, _, number = key.partition("-")
            if not (grade.isascii() and grade.isdigit() and number.isascii() and number.isdigit()):
                raise ValueError(f"class_sizes key {key!r} is not grade-class, e.g. 3-2")
        return self

    def class_size(self, grade: int, class_no: int) -> int:
        return self.class_sizes.get(f"{grade}-{class_no}", 0)

    @model_validator(mode="after")
    def _grades(self) -> SchoolSpec:
        if self.grades is None:
            object.__setattr__(self, "grades", tuple(DEFAULT_GRADES[self.kind]))
        if any(not 1 <= g <= 12 for g in self.grades or ()):
            raise ValueError("grades must lie between 1 and 12")
        if self.grade_students:
            stray = sorted(set(self.grade_students) - set(self.grade_list))
            if stray:
                raise ValueError(f"grade_students names grades {stray} the school does not have")
            if any(n < 0 for n in self.grade_students.values()):
                raise ValueError("grade_students counts must not be negative")
            total = sum(self.grade_students.values())
            if self.students and total != self.students:
                raise ValueError(f"grade_students add up to {total}, not to students ({self.students})")
            if not self.students:
                object.__setattr__(self, "students", total)
        return self

    def students_in(self, grades: tuple[int, int] | None) -> tuple[int, bool]:
        """Enrolled students in a grade range (None: every grade), and whether the count is exact: from
        `grade_students`, else `students` shared evenly over the school's grades. A school without grades
        (a kindergarten) has no students who can take part."""
        wanted = [g for g in self.grade_list if grades is None or grades[0] <= g <= grades[1]]
        if not wanted:
            return 0, True
        if self.grade_students:
            return sum(self.grade_students.get(g, 0) for g in wanted), True
        if len(wanted) == len(self.grade_list):
            return self.students, True
        return round(self.students * len(wanted) / len(self.grade_list)), False

    @property
    def grade_list(self) -> tuple[int, ...]:
        return self.grades or ()

    def class_named(self, text: str) -> tuple[int, int] | None:
        """(grade, class) for `<grade>-<class>` (5-1, 5－1, 5-1班) or the class as messages name it (五年级1班,
        5年级1班, 初二3班, 五年级（1）班) when the school has that class; None otherwise. An admins' pass: the
        names the bot itself writes had been refused as a class the school does not have."""
        typed = typed_class(text)
        if typed is None:
            return None
        grade, class_no = typed
        return typed if grade in self.grade_list and class_no <= max(self.classes, 1) else None


def typed_class(text: str) -> tuple[int, int] | None:
    """(grade, class) for a class as an admin types it (5-1, 5－1班, 五年级1班, 初二3班), whatever the school;
    None for anything else (SchoolSpec.class_named checks the school has it)."""
    found = CLASS_TEXT.fullmatch(text.translate(FULL_WIDTH).replace(" ", ""))
    if found is None:
        return None
    grade_text, class_text = found["grade"] or found["named_grade"], found["class"] or found["named_class"]
    grade = whole_number(GRADE_WORDS.get(grade_text) or NUMERALS.get(grade_text, grade_text))
    class_no = whole_number(NUMERALS.get(class_text, class_text), 1)
    return None if grade is None or class_no is None else (grade, class_no)


class TownSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")
    name: str = Field(min_length=2, max_length=100)
    schools: tuple[SchoolSpec, ...]


class District:
    """Validated towns and schools, with look-ups by id."""

    def __init__(self, towns: list[TownSpec]) -> None:
        self.towns = towns
        self.schools: dict[str, SchoolSpec] = {}
        self.town_of: dict[str, TownSpec] = {}
        for town in towns:
            for school in town.schools:
                self.schools[school.id] = school
                self.town_of[school.id] = town

    def school(self, school_id: str | None) -> SchoolSpec | None:
        return self.schools.get(school_id) if school_id else None

    def matching(self, text: str) -> list[SchoolSpec]:
        """The schools an admin's command may name by `text`: the one of that id (cg-p1) or full name
        (城关第一小学), else those whose names hold it (one, 第一小学, when only one has it: services/access.py's
        `named_school`)."""
        if (by_id := self.school(text)) is not None:
            return [by_id]
        holding = [s for s in self.schools.values() if text and text in s.name]
        return [s for s in holding if s.name == text] or holding  # the full name wins

    def closest(self, query: str, among: Sequence[SchoolSpec] | None = None) -> list[SchoolSpec]:
        """The schools (of `among`, else all) whose names best match what was typed (part of a name, a typo,
        a short form: 城关一小), and those nearly as close (SEARCH_NEAR): 东城小 had listed 西城小学 and 城关第一小学
        under 东城小学. Registration offers them to choose from; an admin's command that names no school
        (`matching`) suggests them."""
        query = "".join(query.split())[:MAX_QUERY]
        if not query:
            return []
        candidates = {s.id: s.name for s in (self.schools.values() if among is None else among)}
        results = process.extract(
            query, candidates, scorer=_school_score, limit=SEARCH_LIMIT, score_cutoff=SEARCH_CUTOFF
        )
        own = set(GENERIC.sub("", query))  # what the typed name says besides 小学, 中学 …
        results = [r for r in results if not own or own & set(r[0])]
        best = results[0][1] if results else 0.0
        return [self.schools[key] for _, score, key in results if score >= best - SEARCH_NEAR]

    def for_role(self, role: str) -> list[SchoolSpec]:
        """Schools a user of `role` may pick: students need a school with grades."""
        return [s for s in self.schools.values() if role != "student" or s.grade_list]


def _school_score(query: str, name: str, **_: object) -> float:
    """Share of the typed characters found, in order, in the name, blended with plain similarity
    so that a name matching as a whole ranks above one that merely contains the characters."""
    return (_subsequence(query, name) + max(fuzz.partial_ratio(query, name), fuzz.ratio(query, name))) / 2


def _subsequence(query: str, name: str) -> float:
    position, hits = 0, 0
    for ch in query:
        found = name.find(ch, position)
        if found >= 0:
            hits, position = hits + 1, found + 1
    return 100.0 * hits / len(query)


def load_district(path: Path, report: Report) -> District | None:
    """The district, or None when schools.yaml has a problem (those of other files do not count)."""
    start = report.mark()
    data = read_yaml(path, report)
    if data is None:
        return None
    where = display_path(path)
    if not isinstance(data, dict) or not isinstance(data.get("towns"), list):
        report.error(where, line_of(data), "expected a mapping with a `towns:` list")
        return None
    towns: list[TownSpec] = []
    seen: dict[str, int] = {}
    for raw in data["towns"]:
        for raw_school in raw.get("schools") or [] if isinstance(raw, dict) else []:
            school_id, line = (
                raw_school.get("id") if isinstance(raw_school, dict) else None,
                line_of(raw_school),
            )
            if school_id in seen:
                report.error(
                    where, line, f"{school_id}: duplicate school id (first at line {seen[school_id]})"
                )
            elif school_id:
                seen[school_id] = line
        label = str(raw.get("id", "?")) if isinstance(raw, dict) else ""
        town = validate(TownSpec, raw, path, report, label=label)
        if town is not None:
            towns.append(town)
    if not seen and report.clean_since(start):
        report.error(where, 1, "no schools defined")
    return District(towns) if report.clean_since(start) else None

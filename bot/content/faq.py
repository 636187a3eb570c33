"""Enrollment FAQ: `content/faq/*.yaml` entries, `content/faq/categories.yaml`, local facts from
`content/site.yaml` filled into `{placeholders}`, and the matcher's word lists in
`content/faq/matching.yaml`."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.content.laws import LawLibrary
from bot.content.yamlfile import Report, display_path, line_at, line_of, read_yaml, validate

MIN_ALTERNATES = 3
LEVELS = ("幼儿园", "小学", "初中", "高中", "中职")  # school levels: different audiences, never mixed up
Level = Literal["幼儿园", "小学", "初中", "高中", "中职"]


class Basis(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    law: str
    article: int


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z_]{1,30}$")
    title: str
    title_en: str
    level: Level | None = None  # the school level of its entries, unless an entry says otherwise


class FaqEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,60}$")
    category: str
    question: str = Field(min_length=4)
    alternates: tuple[str, ...] = Field(min_length=MIN_ALTERNATES)
    keywords: tuple[str, ...] = ()
    answer: str = Field(min_length=10)
    basis: Basis | None = None
    related: tuple[str, ...] = ()
    source: str = ""
    valid_until: dt.date | None = None
    answer_en: str | None = None
    levels: tuple[Level, ...] = ()  # school levels the entry is for; else its category's (none: any)

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and today > self.valid_until


class MatchingWords(BaseModel):
    """Normalisation data, kept in content so curators can extend it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    traditional: str = ""  # pairs: traditional character then its simplified form
    fillers: tuple[str, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = {}  # canonical word → variants people type
    levels: dict[Level, tuple[str, ...]] = {}  # school level → words in a question that name it


@dataclass(frozen=True)
class Faq:
    categories: list[Category]
    entries: dict[str, FaqEntry]
    site: dict[str, str]
    sample_site: bool
    words: MatchingWords

    def fill(self, text: str) -> str:
        """Text with every {placeholder} replaced from site.yaml (unknown ones are left visible)."""
        return string.Formatter().vformat(text, (), _Keep(self.site))

    def levels_of(self, entry: FaqEntry) -> frozenset[str]:
        """The school levels an entry is for (its own, else its category's); empty: any level."""
        if entry.levels:
            return frozenset(entry.levels)
        level = next((c.level for c in self.categories if c.id == entry.category), None)
        return frozenset([level] if level else [])

    def in_category(self, category: str, today: dt.date) -> list[FaqEntry]:
        return [e for e in self.entries.values() if e.category == category and not e.expired(today)]


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_faq(folder: Path, site_path: Path, laws: LawLibrary, report: Report, today: dt.date) -> Faq | None:
    """The FAQ, or None when any of its files has a problem (those of other content do not count)."""
    start = report.mark()
    site_data = read_yaml(site_path, report) if site_path.exists() else {}
    site = {str(k): str(v) for k, v in ((site_data or {}).get("values") or {}).items()}
    categories = []
    for raw in read_yaml(folder / "categories.yaml", report) or []:
        category = validate(Category, raw, folder / "categories.yaml", report)
        if category is not None:
            categories.append(category)
    words = validate(
        MatchingWords, read_yaml(folder / "matching.yaml", report) or {}, folder / "matching.yaml", report
    )
    entries: dict[str, FaqEntry] = {}
    where_of: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in ("categories.yaml", "matching.yaml"):
            continue
        data = read_yaml(path, report)
        if not isinstance(data, list):
            if data is not None:
                report.error(display_path(path), line_of(data), "an FAQ file is a YAML list of entries")
            continue
        for raw in data:
            label = str(raw.get("id", "?")) if isinstance(raw, dict) else "?"
            entry = validate(FaqEntry, raw, path, report, label=label)
            if entry is None:
                continue
            where = (display_path(path), line_of(raw))
            if entry.id in entries:
                report.error(*where, f"{entry.id}: duplicate id (first at line {where_of[entry.id][1]})")
                continue
            entries[entry.id] = entry
            where_of[entry.id] = where
    _check(entries, where_of, categories, site, laws, report, today, (display_path(site_path), site_data))
    if not report.clean_since(start) or words is None:
        return None
    return Faq(categories, entries, site, bool((site_data or {}).get("sample")), words)


def _check(entries: dict[str, FaqEntry], where_of: dict[str, tuple[str, int]], categories: list[Category],
           site: dict[str, str], laws: LawLibrary, report: Report, today: dt.date, site_file: tuple[str, Any]) -> None:  # fmt: skip
    known_categories = {c.id for c in categories}
    unfilled: set[str] = set()
    for entry in entries.values():
        path, line = where_of[entry.id]
        if entry.category not in known_categories:
            report.error(path, line, f"{entry.id}: unknown category {entry.category!r}")
        for other in entry.related:
            if other not in entries:
                report.error(path, line, f"{entry.id}: related entry {other!r} does not exist")
        for text in (entry.answer, entry.answer_en or "", entry.source):
            for name in placeholders(text):
                if name not in site:
                    report.error(path, line, f"{entry.id}: placeholder {{{name}}} is not in site.yaml")
                elif not site[name].strip():
                    unfilled.add(name)
        if entry.basis is not None and (why := laws.unchecked(entry.basis.law)):
            report.skipped(path, line, f"FAQ bases not checked: {why}")
        elif entry.basis is not None and laws.article(entry.basis.law, entry.basis.article) is None:
            report.error(
                path, line, f"{entry.id}: basis {entry.basis.law} {entry.basis.article} does not exist"
            )
        if entry.expired(today):
            report.warn(
                path, line, f"{entry.id}: expired on {entry.valid_until}; the bot no longer serves it"
            )
    site_where, site_data = site_file
    for name in sorted(unfilled):
        report.warn(site_where, line_at(site_data, ["values", name]), f"placeholder {{{name}}} has no value")

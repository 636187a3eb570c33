"""Enrollment FAQ: `content/faq/*.yaml` entries, `content/faq/categories.yaml`, local facts from
`content/site.yaml` filled into `{placeholders}`, and the matcher's word lists in
`content/faq/matching.yaml`."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from bot.content.laws import LawLibrary
from bot.content.yamlfile import Report, display_path, line_at, line_of, read_text, read_yaml, validate

MIN_ALTERNATES = 3
# the places an English answer may say in words ("the district education bureau"), where the Chinese one
# fills in the site's Chinese name; every other placeholder is a fact a reader acts on (a date, a number,
# a portal, a notice) and must be in both answers
NAMES = frozenset({"district", "bureau"})
# A value under `values:` that still reads like the shipped sample (示例…, 000-00000000, example.com):
# someone moved it without filling it in.
SAMPLE_LOOK = re.compile(r"示例|example\.(com|org|edu)|\b0{3}-0{4,}")
# School levels: different audiences, never mixed up. 大学 (higher education: 高考, 考研, 本科 …) is no
# audience of the FAQ's but for where 中职 leads: a question naming it is not answered with the others'.
Level = Literal["幼儿园", "小学", "初中", "高中", "中职", "大学"]
Sector = Literal["公办", "民办"]  # who runs the school: 民办 fees, lotteries and licences are not 公办's
SECTORS: tuple[str, ...] = get_args(Sector)


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

    # buttons carry it (faq:alt:<question>:<id>) within Telegram's 64 bytes: a 61-character id passed the
    # check and then failed every answer that offered it (a robustness pass)
    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,39}$")
    category: str
    question: str = Field(min_length=4)
    alternates: tuple[str, ...] = Field(min_length=MIN_ALTERNATES)
    keywords: tuple[str, ...] = ()
    answer: str = Field(min_length=10)
    # the articles the answer rests on, shown below it: one ({law, article}) or several, in a list
    basis: Annotated[
        tuple[Basis, ...], BeforeValidator(lambda v: [v] if isinstance(v, dict) else v or [])
    ] = ()
    related: tuple[str, ...] = ()
    source: str = ""
    valid_until: dt.date | None = None
    answer_en: str | None = None
    question_en: str | None = None  # the title above `answer_en`, and its buttons' label in English
    levels: tuple[Level, ...] = ()  # school levels the entry is for; else its category's (none: any)
    sector: Sector | None = None  # the only sector the entry is for (none: either)

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and today > self.valid_until

    def title(self, language: str) -> str:
        """The question as a reader of `language` sees it (in Chinese where it has no English)."""
        return self.question_en if language == "en" and self.question_en else self.question


Text = Annotated[str, BeforeValidator(lambda v: v if v is None else str(v))]  # YAML reads 09:00 as a number


class Site(BaseModel):
    """content/site.yaml: the district's facts, and the shipped sample values not yet replaced. An answer
    never shows a sample value: it says where the real one is published instead (views)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    values: dict[str, Text] = {}  # real facts
    samples: dict[str, Text] = {}  # shipped samples: move each to `values` once it holds the real fact


class MatchingWords(BaseModel):
    """Normalisation data, kept in content so curators can extend it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fillers: tuple[str, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = {}  # canonical word → variants people type
    levels: dict[Level, tuple[str, ...]] = {}  # school level → words in a question that name it
    not_levels: tuple[str, ...] = ()  # words that hold a level's word and name no level (大学区)
    sectors: dict[Sector, tuple[str, ...]] = {}  # sector → words in a question that name it


class EnglishWords(BaseModel):
    """content/faq/english.yaml: English words and phrases → the Chinese words the FAQ uses, so that a
    question asked in English finds its entry (answered from `answer_en`, or shown in Chinese)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: dict[str, str] = {}

    def in_chinese(self, text: str) -> str:
        """The Chinese words of the phrases `text` holds (a plural in -s or -es too: foreigners), longest
        phrases first; other words dropped. Words are compared as `_words` spells them, so that non-local
        and mid-term are found however the hyphen is typed."""
        text, found = _words(text), []
        for phrase in sorted(self.words, key=len, reverse=True):
            pattern = rf"(?<![a-z']){re.escape(_words(phrase))}(?:e?s)?(?![a-z'])"
            if (hit := re.search(pattern, text)) is not None:
                found.append((hit.start(), self.words[phrase]))
                text = re.sub(pattern, lambda m: " " * len(m.group()), text)  # places of later finds kept
        return "".join(word for _, word in sorted(found))


def _words(text: str) -> str:
    """Lower-case words of letters, digits and apostrophes, one space between them: Non-local → non local."""
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


@dataclass(frozen=True)
class Faq:
    categories: list[Category]
    entries: dict[str, FaqEntry]
    site: dict[str, str]  # every value, real or sample (see `samples`)
    samples: frozenset[str]  # the keys whose value is still the shipped sample
    words: MatchingWords
    english: EnglishWords

    @property
    def sample_site(self) -> bool:
        return bool(self.samples)

    def fill(self, text: str, pending: str | None = None, generic: Mapping[str, str] | None = None) -> str:
        """Text with every {placeholder} replaced from site.yaml (unknown ones are left visible); with
        `pending`, a placeholder whose value is still a sample is replaced by `pending` instead, or by its
        `generic` description where it has one (区教育局 for the bureau's name: true of any district)."""
        if pending is None:
            return string.Formatter().vformat(text, (), _Keep(self.site))
        instead = {key: (generic or {}).get(key, pending) for key in self.samples}
        return _said_once(string.Formatter().vformat(text, (), _Keep({**self.site, **instead})), pending)

    def sample_warning(self) -> str | None:
        """What `check` and `run` say while site.yaml still holds sample values; None once it holds none."""
        if not self.samples:
            return None
        names = ", ".join(sorted(self.samples)[:6]) + (", …" if len(self.samples) > 6 else "")
        return (
            f"site.yaml still holds {len(self.samples)} SAMPLE value(s) ({names}): until the district's real "
            "facts are filled in, answers show 〔待公布〕 in their place (offices as 区教育局…部门), with a note "
            "to go by what 区教育局 publishes"
        )

    def real(self, key: str) -> str:
        """A site value when it is a real fact; "" while it is missing or a sample."""
        return "" if key in self.samples else self.site.get(key, "")

    def levels_of(self, entry: FaqEntry) -> frozenset[str]:
        """The school levels an entry is for (its own, else its category's); empty: any level."""
        if entry.levels:
            return frozenset(entry.levels)
        level = next((c.level for c in self.categories if c.id == entry.category), None)
        return frozenset([level] if level else [])

    def in_category(self, category: str, today: dt.date) -> list[FaqEntry]:
        return [e for e in self.entries.values() if e.category == category and not e.expired(today)]


def _said_once(text: str, pending: str) -> str:
    """`text` with its `pending` markers said once where samples stood side by side (以〔待公布〕和〔待公布〕为准)
    and none in brackets of their own (招生部门（〔待公布〕）), which had read as a template never filled in."""
    marker = re.escape(pending)
    text = re.sub(rf"\s?[（(]{marker}[)）]", "", text)
    return re.sub(rf"{marker}(?:\s*(?:和|与|及|或|、|/|,|and|or)\s*{marker})+", pending, text)


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_faq(folder: Path, site_path: Path, laws: LawLibrary, report: Report, today: dt.date) -> Faq | None:
    """The FAQ, or None when any of its files has a problem (those of other content do not count)."""
    start = report.mark()
    site_data = read_yaml(site_path, report) if site_path.exists() else {}
    parsed = validate(Site, site_data or {}, site_path, report) or Site()
    site = {**parsed.samples, **parsed.values}
    samples = frozenset(parsed.samples) - set(parsed.values)  # a key under both: reported by _check
    categories = []
    for raw in read_yaml(folder / "categories.yaml", report) or []:
        category = validate(Category, raw, folder / "categories.yaml", report)
        if category is not None:
            categories.append(category)
    words = validate(
        MatchingWords, read_yaml(folder / "matching.yaml", report) or {}, folder / "matching.yaml", report
    )
    english_path = folder / "english.yaml"
    english = EnglishWords()
    if english_path.exists():
        english = (
            validate(EnglishWords, read_yaml(english_path, report) or {}, english_path, report) or english
        )
    entries: dict[str, FaqEntry] = {}
    where_of: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in ("categories.yaml", "matching.yaml", "english.yaml"):
            continue
        shown = display_path(path)  # once per file: it resolves the path on disk
        for entry, line in _entries_in(path, report):
            where = (shown, line)
            if entry.id in entries:
                report.error(*where, f"{entry.id}: duplicate id (first at line {where_of[entry.id][1]})")
                continue
            entries[entry.id] = entry
            where_of[entry.id] = where
    _check(entries, where_of, categories, site, parsed, laws, report, today,
           (display_path(site_path), site_data))  # fmt: skip
    if not report.clean_since(start) or words is None:
        return None
    return Faq(categories, entries, site, samples, words, english)


@dataclass(frozen=True)
class _Parsed:
    digest: bytes  # of the file's text
    entries: list[tuple[FaqEntry, int]]  # each with the line it starts at


# FAQ files as last read, by path. At 10,000 entries /reload spent half its time parsing YAML (libyaml
# builds the nodes, PyYAML's Python code the values), though a curator changes one file at a time: a file
# whose text is what it was is not parsed again. Only files without a problem are kept; the entries are
# frozen, so sharing them between the old content and the new is safe. Checks across files run every time.
_parsed: dict[Path, _Parsed] = {}


def _entries_in(path: Path, report: Report) -> list[tuple[FaqEntry, int]]:
    """The valid entries of one FAQ file with their lines (problems recorded in `report`)."""
    if (text := read_text(path, report)) is None:
        return []
    key, digest = path.resolve(), hashlib.sha256(text.encode()).digest()
    if (known := _parsed.get(key)) is not None and known.digest == digest:
        return known.entries
    start = report.mark()
    data = read_yaml(path, report, text)
    if not isinstance(data, list):
        if data is not None:
            report.error(display_path(path), line_of(data), "an FAQ file is a YAML list of entries")
        return []
    found = []
    for raw in data:
        label = str(raw.get("id", "?")) if isinstance(raw, dict) else "?"
        if (entry := validate(FaqEntry, raw, path, report, label=label)) is not None:
            found.append((entry, line_of(raw)))
    if report.clean_since(start):
        _parsed[key] = _Parsed(digest, found)
    return found


def _check(entries: dict[str, FaqEntry], where_of: dict[str, tuple[str, int]], categories: list[Category],
           site: dict[str, str], parsed: Site, laws: LawLibrary, report: Report, today: dt.date, site_file: tuple[str, Any]) -> None:  # fmt: skip
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
        if bool(entry.answer_en) != bool(entry.question_en):
            report.error(path, line, f"{entry.id}: answer_en and question_en go together (one is missing)")
        if entry.answer_en and (
            dropped := placeholders(entry.answer) - NAMES - placeholders(entry.answer_en)
        ):
            names = ", ".join(f"{{{name}}}" for name in sorted(dropped))
            report.error(path, line, f"{entry.id}: answer_en leaves out {names}, which the answer gives")
        for basis in entry.basis:
            if why := laws.unchecked(basis.law):
                report.skipped(path, line, f"FAQ bases not checked: {why}")
            elif laws.article(basis.law, basis.article) is None:
                report.error(path, line, f"{entry.id}: basis {basis.law} {basis.article} does not exist")
        if entry.expired(today):
            report.warn(
                path, line, f"{entry.id}: expired on {entry.valid_until}; the bot no longer serves it"
            )
    site_where, site_data = site_file
    for name, value in parsed.values.items():
        where = line_at(site_data, ["values", name])
        if name in parsed.samples:
            report.error(
                site_where, where, f"{name}: under both values and samples; keep the real value only"
            )
        elif SAMPLE_LOOK.search(value):
            report.error(
                site_where,
                where,
                f"{name}: still the sample value; fill in the real fact or move it to samples",
            )
    for name in sorted(unfilled):
        where = line_at(site_data, ["values" if name in parsed.values else "samples", name])
        report.warn(site_where, where, f"placeholder {{{name}}} has no value")

"""All content, loaded and validated together: what `check` reports and what the bot serves."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.content.campaigns import Campaign, load_campaigns
from bot.content.faq import Faq, load_faq
from bot.content.harm import HarmModel, load_harm
from bot.content.laws import LawLibrary, load_laws
from bot.content.questions import QuestionBank, load_questions
from bot.content.schools import District, load_district
from bot.content.yamlfile import ContentError, Problem, Report, display_path
from bot.i18n import I18n, load_i18n

T = TypeVar("T")


@dataclass(frozen=True)
class Content:
    district: District
    i18n: I18n
    laws: LawLibrary
    questions: QuestionBank
    faq: Faq
    campaigns: dict[str, Campaign]
    harm: HarmModel  # harm to a child in words no law topic names (content/law/harm_examples.yaml)

    def summary(self) -> str:
        articles = sum(len(law.articles) for law in self.laws.laws.values())
        return (
            f"{len(self.district.towns)} towns, {len(self.district.schools)} schools, "
            f"{len(self.laws.laws)} laws ({articles} articles), {len(self.questions)} questions, "
            f"{len(self.faq.entries)} FAQ entries in {len(self.faq.categories)} categories, "
            f"{len(self.campaigns)} campaigns, "
            f"{len(self.i18n.catalogs)} locales ({len(self.i18n.catalogs[self.i18n.default])} texts each)"
        )


def load_content(
    content_dir: Path, quizzes_dir: Path, default_language: str = "zh", today: dt.date | None = None
) -> tuple[Content | None, Report]:
    """Load everything; returns (content or None when any error, report with errors and warnings).
    Every part is loaded and checked whatever the others' problems, so one run reports them all; a check
    against a part that failed (e.g. a question's article, when its law failed) is skipped with a warning.
    `today` decides which FAQ entries have expired."""
    report = Report()
    if not content_dir.is_dir():  # one line rather than a missing-file error for every file
        report.error(display_path(content_dir), 0, "no such folder: set CONTENT_DIR to where it is")
        return None, report
    if not quizzes_dir.is_dir():
        report.error(display_path(quizzes_dir), 0, "no such folder: set QUIZZES_DIR to where it is")
    today = today or dt.date.today()
    schools, locales, law, campaign_dir = (
        content_dir / name for name in ("schools.yaml", "locales", "law", "campaigns")
    )
    district = _unchanged("district", [schools], (), lambda: load_district(schools, report), report)
    i18n = _unchanged(
        "i18n", [locales], (default_language,), lambda: load_i18n(locales, default_language, report), report
    )
    laws = _unchanged("laws", [law], (today,), lambda: load_laws(law, report, today), report)
    questions = _unchanged(
        "questions", [quizzes_dir], (laws,), lambda: load_questions(quizzes_dir, laws, report), report
    )
    # the FAQ keeps its files' entries itself, file by file (bot/content/faq.py)
    faq = load_faq(content_dir / "faq", content_dir / "site.yaml", laws, report, today)
    campaigns = _unchanged(
        "campaigns",
        [campaign_dir],
        (laws, questions),
        lambda: load_campaigns(campaign_dir, laws, questions, report),
        report,
    )
    harm = load_harm(law / "harm_examples.yaml", faq, report)  # learned from the FAQ's wordings too
    if i18n is not None and faq is not None:
        for key in i18n.section(default_language, "site_generic").keys() - faq.site.keys():
            report.error(
                display_path(content_dir / "locales"), 0, f"site_generic.{key}: no such key in site.yaml"
            )
    if i18n is not None:  # a topic's advice is said to a child and to an adult, in every language (a key
        # nobody wrote had passed the check, then failed the urgent reply it was meant for: a review)
        for advice, topic in sorted({a: t for t, a in sorted(laws.advice.items(), reverse=True)}.items()):
            for key in (f"law.advice.{advice}", f"law.advice.{advice}_adult"):
                for language in (lang for lang, catalog in i18n.catalogs.items() if key not in catalog):
                    report.error(
                        display_path(law / "topics.yaml"),
                        0,
                        f"{topic}: advice {key!r} is not in {language}.yaml",
                    )
    if not report.ok or district is None or i18n is None or questions is None or faq is None or harm is None:
        return None, report
    if (warning := faq.sample_warning()) is not None:
        report.warn(display_path(content_dir / "site.yaml"), 1, warning)
    content = Content(
        district=district, i18n=i18n, laws=laws, questions=questions, faq=faq, campaigns=campaigns, harm=harm
    )
    return content, report


@dataclass(frozen=True)
class _Part:
    digest: bytes  # of its files' names and texts
    against: tuple[Any, ...]  # what it was loaded with or checked against (other parts, the day)
    value: Any
    warnings: tuple[Problem, ...]


# Each part of the content as last loaded without an error. /reload loads all content again, though a
# curator mostly changes one FAQ file: the laws (their topics' classes of words) and the question bank
# (every question checked against its article) took three quarters of it at the shipped size, the
# same again each time. A part whose files and inputs are what they were is taken from here, its
# warnings said again; the FAQ keeps its own files the same way (bot/content/faq.py), and the model of
# harm, learned from the FAQ's wordings, is learned again. The parts are not changed once loaded, so the
# old content and the new may share them. Only the latest load's are kept.
_parts: dict[str, _Part] = {}


def _unchanged(
    name: str, paths: Sequence[Path], against: tuple[Any, ...], load: Callable[[], T], report: Report
) -> T:
    """`load()` (which records its problems in `report`), or what it gave last time when the files or
    folders at `paths` hold the same names and texts, and `against` the same parts (the same objects) and
    values (a day, a language)."""
    digest = _digest(paths)
    known = _parts.get(name)
    if (
        known is not None
        and known.digest == digest
        and len(known.against) == len(against)
        and all(a is b or a == b for a, b in zip(known.against, against, strict=True))
    ):
        report.problems.extend(known.warnings)
        return known.value  # type: ignore[no-any-return]
    start = report.mark()
    value = load()
    if report.clean_since(start) and value is not None:
        _parts[name] = _Part(digest, against, value, tuple(report.problems[start:]))
    else:
        _parts.pop(name, None)
    return value


def _digest(paths: Sequence[Path]) -> bytes:
    """Of the files at `paths` (a folder: every file in it, at any depth), their names and texts."""
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(str(file.resolve()).encode() + b"\0")
                try:
                    digest.update(file.read_bytes())
                except OSError:
                    digest.update(b"\0unreadable")
            digest.update(b"\0")
    return digest.digest()


def require_content(
    content_dir: Path, quizzes_dir: Path, default_language: str = "zh", today: dt.date | None = None
) -> Content:
    content, report = load_content(content_dir, quizzes_dir, default_language, today)
    if content is None:
        raise ContentError(report)
    return content

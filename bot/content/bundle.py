"""All content, loaded and validated together: what `check` reports and what the bot serves."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content.laws import LawLibrary, load_laws
from bot.content.questions import QuestionBank, load_questions
from bot.content.schools import District, load_district
from bot.content.yamlfile import ContentError, Report
from bot.i18n import I18n, load_i18n


@dataclass(frozen=True)
class Content:
    district: District
    i18n: I18n
    laws: LawLibrary
    questions: QuestionBank

    def summary(self) -> str:
        articles = sum(len(law.articles) for law in self.laws.laws.values())
        return (
            f"{len(self.district.towns)} towns, {len(self.district.schools)} schools, "
            f"{len(self.laws.laws)} laws ({articles} articles), {len(self.questions)} questions, "
            f"{len(self.i18n.catalogs)} locales ({len(self.i18n.catalogs[self.i18n.default])} texts each)"
        )


def load_content(
    content_dir: Path, quizzes_dir: Path, default_language: str = "zh"
) -> tuple[Content | None, Report]:
    """Load everything; returns (content or None when any error, report with errors and warnings)."""
    report = Report()
    district = load_district(content_dir / "schools.yaml", report)
    i18n = load_i18n(content_dir / "locales", default_language, report)
    laws = load_laws(content_dir / "law", report)
    questions = load_questions(quizzes_dir, laws, report) if laws is not None else None
    if not report.ok or district is None or i18n is None or laws is None or questions is None:
        return None, report
    return Content(district=district, i18n=i18n, laws=laws, questions=questions), report


def require_content(content_dir: Path, quizzes_dir: Path, default_language: str = "zh") -> Content:
    content, report = load_content(content_dir, quizzes_dir, default_language)
    if content is None:
        raise ContentError(report)
    return content

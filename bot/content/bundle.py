"""All content, loaded and validated together: what `check` reports and what the bot serves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.content.campaigns import Campaign, load_campaigns
from bot.content.faq import Faq, load_faq
from bot.content.harm import HarmModel, load_harm
from bot.content.laws import LawLibrary, load_laws
from bot.content.questions import QuestionBank, load_questions
from bot.content.schools import District, load_district
from bot.content.yamlfile import ContentError, Report, display_path
from bot.i18n import I18n, load_i18n


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
    district = load_district(content_dir / "schools.yaml", report)
    i18n = load_i18n(content_dir / "locales", default_language, report)
    laws = load_laws(content_dir / "law", report, today)
    questions = load_questions(quizzes_dir, laws, report)
    faq = load_faq(content_dir / "faq", content_dir / "site.yaml", laws, report, today)
    campaigns = load_campaigns(content_dir / "campaigns", laws, questions, report)
    harm = load_harm(content_dir / "law" / "harm_examples.yaml", faq, report)
    if i18n is not None and faq is not None:
        for key in i18n.section(default_language, "site_generic").keys() - faq.site.keys():
            report.error(
                display_path(content_dir / "locales"), 0, f"site_generic.{key}: no such key in site.yaml"
            )
    if not report.ok or district is None or i18n is None or questions is None or faq is None or harm is None:
        return None, report
    if (warning := faq.sample_warning()) is not None:
        report.warn(display_path(content_dir / "site.yaml"), 1, warning)
    content = Content(
        district=district, i18n=i18n, laws=laws, questions=questions, faq=faq, campaigns=campaigns, harm=harm
    )
    return content, report


def require_content(
    content_dir: Path, quizzes_dir: Path, default_language: str = "zh", today: dt.date | None = None
) -> Content:
    content, report = load_content(content_dir, quizzes_dir, default_language, today)
    if content is None:
        raise ContentError(report)
    return content

"""Labels shared by several views and keyboards."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.laws import Article
from bot.content.schools import SchoolKind
from bot.domain import Scope
from bot.views import Voice

T = Callable[..., str]


def grade_label(t: T, grade: int, kind: SchoolKind | None) -> str:
    """一年级 … 高三, or 中职一年级 … at a vocational school."""
    if kind is SchoolKind.vocational and grade >= 10:
        return t(f"grade.v{grade - 9}")
    return t(f"grade.g{grade}")


def class_label(t: T, grade: int, class_no: int | None, kind: SchoolKind | None) -> str:
    """A class as every message names it (registration, profile, /rank, certificates): 五年级1班."""
    return t("label.class", grade=grade_label(t, grade, kind), n=class_no if class_no is not None else "-")


def scope_label(voice: Voice, scope: Scope) -> str:
    """Whose figures an admin sees: 全区, their schools, or their classes (城关第一小学 五年级2班), as /grants
    names grants."""
    if scope.district:
        return voice.t("admin.scope_district")
    district = voice.services.content.district
    parts = []
    for school_id in sorted(scope.schools):
        school = district.school(school_id)
        parts.append(voice.t("admin.scope_school", school=school.name if school else school_id))
    for school_id, grade, class_no in sorted(c for c in scope.classes if c[0] not in scope.schools):
        school = district.school(school_id)
        label = class_label(voice.t, grade, class_no, school.kind if school else None)
        parts.append(voice.t("admin.scope_class", school=school.name if school else school_id, label=label))
    return ("、" if voice.language == "zh" else ", ").join(parts)


def article_label(voice: Voice, article: Article) -> str:
    """第一千一百八十八条 as the statute heads it, or Article 1188 in another language (its text stays Chinese)."""
    return article.label if voice.language == "zh" else voice.t("label.article", n=article.number)


def rate_label(t: T, value: float | None) -> str:
    """A share as a percentage with one decimal, as /stats and the export show it (8/2662: 0.3%); 暂无数据
    where there is nothing to divide by, and <0.1% rather than a 0.0% that is not zero."""
    if value is None:
        return t("label.rate_unknown")
    if 0 < value < 0.0005:
        return "<0.1%"
    return f"{value:.1%}"


def clip(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut with … where it is longer (a question in a review, a
    broadcast quoted in its report)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Labels shared by several views and keyboards."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.schools import SchoolKind

T = Callable[..., str]


def grade_label(t: T, grade: int, kind: SchoolKind | None) -> str:
    """一年级 … 高三, or 中职一年级 … at a vocational school."""
    if kind is SchoolKind.vocational and grade >= 10:
        return t(f"grade.v{grade - 9}")
    return t(f"grade.g{grade}")

"""Standings: my score and rank, my class's board, the classes of my school, the schools."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import BoardEntry, Row, Standing
from bot.services.stats import is_staff
from bot.views import Voice
from bot.views.labels import class_label, rate_label

CLASSES_SHOWN, SCHOOLS_SHOWN = 15, 10


def masked(voice: Voice, name: str | None, show: bool) -> str:
    """张三 → 张* unless the pupil chose to show their name; no name at all → 匿名."""
    if not name:
        return voice.t("name.none")
    return name if show else f"{name[0]}*"


def board_lines(voice: Voice, board: Sequence[BoardEntry]) -> list[str]:
    return [f"{i}. {masked(voice, e.name, e.show_name)}  {e.score}" for i, e in enumerate(board, start=1)]


def standing_lines(voice: Voice, standing: Standing | None, *, student: bool) -> list[str]:
    if standing is None:
        return [voice.t("rank.none")]
    s = standing
    lines = [voice.t("rank.mine", score=s.score, minutes=s.seconds // 60, seconds=s.seconds % 60)]
    if student:
        lines.append(voice.t("rank.class", rank=s.class_rank, size=s.class_size))
    lines.append(voice.t("rank.school", rank=s.school_rank, size=s.school_size))
    return lines


def _row(voice: Voice, label: str, row: Row) -> str:
    if not row.participants:
        return voice.t("rank.row_empty", label=label, none=voice.t("label.no_data"))
    return voice.t(
        "rank.row",
        label=label,
        n=row.participants,
        mean=f"{row.mean:.1f}",
        rate=rate_label(voice.t, row.participation),
    )


def class_of(voice: Voice, school_id: str, grade: int, number: int) -> str:
    school = voice.services.content.district.school(school_id)
    return class_label(voice.t, grade, number, school.kind if school else None)


def table_lines(
    voice: Voice, board: Sequence[BoardEntry], classes: Sequence[Row], schools: Sequence[Row]
) -> list[str]:
    """The leaderboards: my class's best, my school's classes, the district's schools (best mean first)."""
    lines: list[str] = []
    if board:
        lines += ["", voice.t("rank.class_board"), *board_lines(voice, board)]
    if classes:
        lines += ["", voice.t("rank.classes")]
        for row in sorted(classes, key=lambda r: -r.mean)[:CLASSES_SHOWN]:
            if is_staff(row.key):  # a school's staff (by department) have no class: the report's name
                lines.append(_row(voice, row.label, row))
                continue
            school_id, grade, number = row.key.split(":")
            lines.append(_row(voice, class_of(voice, school_id, int(grade), int(number)), row))
    if schools:
        district = voice.services.content.district
        lines += ["", voice.t("rank.schools")]
        for row in sorted(schools, key=lambda r: -r.mean)[:SCHOOLS_SHOWN]:
            school = district.school(row.key)
            lines.append(_row(voice, school.name if school else row.key, row))
    return lines

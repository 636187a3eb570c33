"""Standings: my score and rank, my class's board, the classes of my school, the schools."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import BoardEntry, ChosenName, Row, Standing
from bot.services.names import ChosenNames
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


def standing_lines(
    voice: Voice, standing: Standing | None, *, student: bool, ended: bool = False
) -> list[str]:
    """The user's score and ranks; none yet, or (`ended`) none now the campaign is over (a pupils' pass: 还没有
    您的成绩 read as if they could still take part)."""
    if standing is None:
        return [voice.t("rank.none_ended" if ended else "rank.none")]
    s = standing
    lines = [voice.t("rank.mine", score=s.score, minutes=s.seconds // 60, seconds=s.seconds % 60)]
    if student:
        lines.append(voice.t("rank.class", rank=s.class_rank, size=s.class_size))
    lines.append(voice.t("rank.school", rank=s.school_rank, size=s.school_size))
    return lines


# a class's or school's mean is shown to pupils once this many took part: one pupil's mean is their score,
# which an admins' pass read on a board every pupil of the district sees
MEAN_FROM = 3


def _row(voice: Voice, label: str, row: Row) -> str:
    if not row.participants:
        return voice.t("rank.row_empty", label=label, none=voice.t("label.no_data"))
    if row.participants < MEAN_FROM:
        return voice.t("rank.row_few", label=label, n=row.participants, rate=rate_label(voice.t, row.participation),
                       least=MEAN_FROM)  # fmt: skip
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


def names_text(voice: Voice, chosen: ChosenNames) -> str:
    """/names: each name chosen in the admin's scope, in full, where its user registered, and whether the
    tables show it in full or masked; numbered as the buttons that clear them."""
    if not chosen.names:
        return voice.t("names.none")
    lines = [voice.t("names.title")]
    for i, chosen_name in enumerate(chosen.names, start=1):
        how = (
            voice.t("names.shown")
            if chosen_name.shown
            else voice.t("names.masked", masked=masked(voice, chosen_name.name, False))
        )
        lines.append(
            voice.t("names.line", i=i, place=_place(voice, chosen_name), name=chosen_name.name, how=how)
        )
    if chosen.more:
        lines.append(voice.t("names.more", n=len(chosen.names)))
    lines.append(voice.t("names.how"))
    return "\n".join(lines)


def _place(voice: Voice, chosen: ChosenName) -> str:
    school = voice.services.content.district.school(chosen.school_id) if chosen.school_id else None
    where = school.name if school else voice.t("names.no_school")
    if chosen.grade is None:  # staff, or someone who has not said their class
        return where
    return f"{where} {class_label(voice.t, chosen.grade, chosen.class_no, school.kind if school else None)}"

"""Statistics as chat text: the /stats summary of a campaign for an admin's scope, and a school's classes.
Exams speak of 参考 (took the exam), contests and readings of 参与; rates have one decimal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.content.campaigns import Campaign, Kind
from bot.domain import Row
from bot.numbers import one_decimal, percent
from bot.services.stats import DrillDown, Report
from bot.views import Voice
from bot.views.labels import clip, scope_label

ABSENT_SHOWN = 15  # schools nobody took part in, named in the chat (the export lists them all)
SILENT_SHOWN = 40  # a school's classes and departments nobody took part in, named in its drill-down


def mean_label(value: float | None) -> str:
    """A mean score with one decimal; — when nobody took part (it said 平均分 0.0)."""
    return "—" if value is None else one_decimal(value)


def pct(value: float | None) -> str:
    """A rate with one decimal: 8/2662 is 0.3 %, not 0 %."""
    return "—" if value is None else percent(value)


def took_word(voice: Voice, campaign: Campaign) -> str:
    return voice.t("stats.took_exam" if campaign.kind is Kind.exam else "stats.took_other")


def participation(voice: Voice, row: Row, took: str) -> str:
    """The participation rate, "≈" when its denominator is estimated, flagged when over 100 %."""
    if row.roster_problem:
        return voice.t("stats.roster_problem", took=took)
    rate = pct(row.participation)
    return rate if row.exact or row.participation is None else voice.t("stats.estimated", rate=rate)


def stats_text(turn: Voice, report: Report, others: Sequence[Campaign] = ()) -> str:
    """/stats' summary (and the scheduled reports'); `others`: the other campaigns it could be asked about,
    named at its end with the command for each."""
    s, took = report.summary, took_word(turn, report.campaign)
    lines = [
        turn.t("stats.title", campaign=report.campaign.title_in(turn.language))
        + (turn.t("stats.verified_only") if report.scope.verified_only else ""),
        *([] if report.scope.district else [turn.t("stats.scope", where=scope_label(turn, report.scope))]),
        turn.t("stats.summary", took=took, participants=s.participants, enrolled=s.enrolled or "—",
               rate=participation(turn, s, took), completed=s.completed, passrate=pct(s.pass_rate),
               excellent=pct(s.excellence_rate), mean=mean_label(s.average),
               median="—" if report.median is None else one_decimal(report.median)),
    ]  # fmt: skip
    absent = report.absent
    if absent:
        lines += ["", turn.t("stats.absent", took=took, n=len(absent))]
        # the largest first, with what the number is (an admins' pass: 东城中学 (118), in the order of their codes)
        largest = sorted(absent, key=lambda r: (-r.enrolled, r.label))
        lines += [
            turn.t("stats.absent_row", school=r.label, took=took, n=r.enrolled)
            for r in largest[:ABSENT_SHOWN]
        ]
        if len(absent) > ABSENT_SHOWN:
            lines.append(turn.t("stats.absent_more", n=len(absent) - ABSENT_SHOWN))

    def row(r: Row) -> str:
        return turn.t("stats.row", label=r.label, took=took, rate=participation(turn, r, took),
                      passrate=pct(r.pass_rate), excellent=pct(r.excellence_rate), mean=mean_label(r.average))  # fmt: skip

    if report.towns:
        lines += ["", turn.t("stats.towns")]
        lines += [turn.t("stats.town_row", label=r.label, took=took, rate=participation(turn, r, took),
                         n=r.participants, enrolled=r.enrolled, absent=report.absent_by_town.get(r.key, 0))
                  for r in report.towns]  # fmt: skip
    ranked = sorted((r for r in report.schools if r.participants), key=lambda r: (-r.mean, r.label))
    # a scope of one school ranks none (an admins' pass: 平均分最高的学校 over a school admin's own)
    if ranked and len(report.schools) > 1:
        lines += ["", turn.t("stats.top")] + [row(r) for r in ranked[:5]]
        if len(ranked) > 5:
            lines += ["", turn.t("stats.bottom")] + [row(r) for r in ranked[-5:][::-1]]
    if any(
        r.participation is not None and not r.exact for r in (s, *report.towns, *ranked[:5], *ranked[-5:])
    ):
        lines += ["", turn.t("stats.estimated_note")]  # what ≈ means, where one is shown
    if report.hardest:
        lines += ["", turn.t("stats.hardest")]
        lines += [
            turn.t("stats.hard_row", stem=clip(stem, 36), wrong=wrong, total=total)
            for _, stem, wrong, total in report.hardest
        ]
    if others:
        lines += ["", turn.t("stats.others")]
        lines += [turn.t("stats.other_row", campaign=c.title_in(turn.language), id=c.id) for c in others]
    return "\n".join(lines)


def drill_down_text(
    voice: Voice, school: str, campaign: Campaign, found: DrillDown, verified: bool = False
) -> str:
    """/stats school: the school as a whole, one line per class and staff group that took part, then the
    classes and departments nobody in took part in; `verified`: link-confirmed members only (/stats school
    … verified), said as /stats says it (also why there may be nothing)."""
    only = voice.t("stats.verified_only") if verified else ""
    title = voice.t("stats.drill_title", school=school, campaign=campaign.title_in(voice.language)) + only
    # nobody took part: the classes and departments that have not, or that it is for none of them (an admins'
    # pass: 还没有数据 alone, with no campaign named, for a school nobody in had taken part in and a kindergarten)
    if not found.rows and not found.silent:
        return title + "\n" + voice.t("stats.not_for_school")
    took = took_word(voice, campaign)

    def line(r: Row, label: str) -> str:
        return voice.t("stats.class_row", label=label, took=took, n=r.participants, rate=participation(voice, r, took),
                       done=r.completed, passrate=pct(r.pass_rate), excellent=pct(r.excellence_rate),
                       mean=mean_label(r.average))  # fmt: skip

    lines = [title]
    lines += [line(found.school, voice.t("stats.whole_school"))] if found.school is not None else []
    lines += [line(r, r.label.removeprefix(school).strip()) for r in found.rows]
    if found.silent:
        names = "、".join(label.removeprefix(school).strip() for label in found.silent[:SILENT_SHOWN])
        more = (
            voice.t("stats.silent_more", n=len(found.silent) - SILENT_SHOWN)
            if len(found.silent) > SILENT_SHOWN
            else ""
        )
        # classes, departments or both, as the campaign is for pupils, staff or both (an admins' pass: 部门 for
        # a pupils' contest)
        roles = campaign.audience.roles
        key = (
            "stats.silent"
            if {"student", "staff"} <= set(roles)
            else ("stats.silent_staff" if "staff" in roles else "stats.silent_classes")
        )
        lines += ["", voice.t(key, took=took, n=len(found.silent), names=names + more)]
    return "\n".join(lines)


def scheduled_heading(voice: Voice, day: date | None) -> str:
    """A scheduled report's heading: the day's report, or (no day) the one at the campaign's end (an admins'
    pass: it had been headed 定时报告（end）)."""
    when = voice.t("report.daily", month=day.month, day=day.day) if day else voice.t("report.at_end")
    return voice.t("report.scheduled", slot=when)

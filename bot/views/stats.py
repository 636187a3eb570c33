"""Statistics as chat text: the /stats summary of a campaign for an admin's scope."""

from __future__ import annotations

from bot.domain import Row
from bot.services.stats import Report
from bot.views import Voice


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def stats_text(turn: Voice, report: Report) -> str:
    s = report.summary
    lines = [
        turn.t("stats.title", campaign=report.campaign.title),
        turn.t("stats.summary", participants=s.participants, enrolled=s.enrolled or "—", rate=pct(s.participation),
               completed=s.completed, passrate=pct(s.pass_rate), excellent=pct(s.excellence_rate), mean=f"{s.mean:.1f}",
               median="—" if report.median is None else f"{report.median:.1f}"),
    ]  # fmt: skip

    def row(r: Row) -> str:
        return turn.t("stats.row", label=r.label, rate=pct(r.participation), passrate=pct(r.pass_rate),
                      excellent=pct(r.excellence_rate), mean=f"{r.mean:.1f}")  # fmt: skip

    if report.towns:
        lines += ["", turn.t("stats.towns")] + [row(r) for r in report.towns]
    if report.schools:
        ranked = [r for r in report.schools if r.completed]
        lines += ["", turn.t("stats.top")] + [row(r) for r in ranked[:5]]
        if len(ranked) > 5:
            lines += ["", turn.t("stats.bottom")] + [row(r) for r in ranked[-5:][::-1]]
    if report.hardest:
        lines += ["", turn.t("stats.hardest")]
        lines += [
            turn.t("stats.hard_row", stem=stem[:36], wrong=wrong, total=total)
            for _, stem, wrong, total in report.hardest
        ]
    return "\n".join(lines)


def drill_down_text(voice: Voice, school: str, campaign: str, rows: list[Row]) -> str:
    """/stats school: one line per class."""
    if not rows:
        return voice.t("stats.empty")
    lines = [voice.t("stats.drill_title", school=school, campaign=campaign)]
    lines += [voice.t("stats.class_row", label=r.label.removeprefix(school).strip(), n=r.participants, done=r.completed,
                      passrate=pct(r.pass_rate), excellent=pct(r.excellence_rate), mean=f"{r.mean:.1f}") for r in rows]  # fmt: skip
    return "\n".join(lines)

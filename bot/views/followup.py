"""/missing and /remind as text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.followup import Missing, Reminded
from bot.views import Voice
from bot.views.labels import class_label

if TYPE_CHECKING:
    from bot.content.campaigns import Campaign
    from bot.runtime import Services

MAX_TEXT = 4000  # Telegram's limit is 4,096 characters a message


def _rate(done: int, of: int) -> str:
    return f"{100 * done / of:.1f}%" if of else "—"


def reminder_texts(services: Services, campaign: Campaign) -> tuple[str, str]:
    """What /remind sends, in Chinese and in English (recipients get theirs): the campaign's own
    `reminder` (`reminder_en`), else the locale's, with the campaign's title in that language."""

    def text(language: str) -> str:
        title = campaign.title_in(language)
        return campaign.reminder_in(language) or services.content.i18n.t(
            language, "remind.default", campaign=title
        )

    return text("zh"), text("en")


def missing_text(voice: Voice, missing: Missing) -> str:
    lines = [voice.t("missing.title", campaign=missing.campaign.title_in(voice.language))]
    for c in missing.classes:
        lines += ["", voice.t("missing.class", school=c.school, label=class_label(voice.t, c.grade, c.class_no, c.kind), members=c.members,
                              done=c.done, pending=c.members - c.done)]  # fmt: skip
        if c.pending:
            lines.append(voice.t("missing.pending", who="、".join(c.pending)))
        if c.unnamed:  # besides those named, or all of them (未参与 1 人 and 另有 1 人 had read as two)
            lines.append(voice.t("missing.unnamed" if c.pending else "missing.unnamed_all", n=c.unnamed))
        lines.append(voice.t("missing.no_roster") if c.never_joined is None
                     else voice.t("missing.never_joined", n=c.never_joined, numbers="、".join(c.unjoined)))  # fmt: skip
    if missing.tallies:
        key = "missing.school_row" if missing.level == "district" else "missing.row"
        staff_only = missing.campaign.audience.roles == ("staff",)
        header = "staff" if missing.level == "school" and staff_only else missing.level
        lines += ["", voice.t(f"missing.header_{header}")]
        # ≈ on an estimated roster figure, as /stats and the export mark it (640 had read as exact)
        lines += [voice.t(key, label=t.label, members=t.members, done=t.done, pending=t.members - t.done,
                          enrolled=(t.enrolled if t.exact else voice.t("stats.estimated", rate=t.enrolled))
                          if t.enrolled else "—",
                          rate=_rate(t.done, t.enrolled or 0)) for t in missing.tallies]  # fmt: skip
        if any(t.enrolled and not t.exact for t in missing.tallies):
            lines += ["", voice.t("stats.estimated_note")]
    elif not missing.classes:
        lines.append(voice.t("missing.nobody"))
    return _fit(lines)


def _fit(lines: list[str]) -> str:
    """The lines that fit in one message, with … for the rest (the worst first, so those are kept)."""
    kept, size = [], 0
    for line in lines:
        if size + len(line) + 1 > MAX_TEXT - 2:
            kept.append("…")
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def reminded_text(voice: Voice, reminded: Reminded) -> str:
    if not reminded.count:
        return voice.t("remind.none", campaign=reminded.campaign.title_in(voice.language))
    return voice.t("remind.queued", campaign=reminded.campaign.title_in(voice.language), n=reminded.count)

"""Broadcasts: who an audience is, and how sending goes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.services.broadcast import Finished
from bot.views import Voice
from bot.views.labels import clip

if TYPE_CHECKING:
    from bot.db.models import Broadcast


def audience_label(voice: Voice, audience: str) -> str:
    """all | staff | students | school.<id> | grade.<n>, in words."""
    kind, _, value = audience.partition(".")
    if kind == "school":
        school = voice.services.content.district.school(value)
        return voice.t("broadcast.aud_school", school=school.name if school else value)
    if kind == "grade":
        return voice.t("broadcast.aud_grade", grade=value)
    return voice.t(f"broadcast.aud_{kind}")


def status_text(voice: Voice, progress: Sequence[tuple[int, int, int, int]]) -> str:
    """(broadcast id, sent, blocked, failed) per broadcast being sent."""
    lines = [voice.t("broadcast.sending", n=len(progress))]
    lines += [voice.t("broadcast.progress", id=i, sent=s, blocked=b, failed=f) for i, s, b, f in progress]
    return "\n".join(lines)


def letter_text(voice: Voice, text: str) -> str:
    """A broadcast as its recipients get it: under a heading that says it is a notice, not a reply."""
    return voice.t("broadcast.letter", text=text)


QUOTED = 20  # characters of a broadcast quoted in its report and in the audit log


def audit_detail(broadcast: Broadcast) -> str:
    """What /audit says of a broadcast sent: its number, audience and start."""
    return f"{broadcast.id} {broadcast.audience} «{clip(' '.join(broadcast.text.split()), QUOTED)}»"


def done_text(voice: Voice, done: Finished) -> str:
    """The report to a broadcast's author: which one (its start), how many it reached, blocked or failed,
    and those it may or may not have reached only when there are any (the bot stopped while sending)."""
    p = done.progress
    text = voice.t(
        "broadcast.done", start=clip(done.text, QUOTED), sent=p.sent, blocked=p.blocked, failed=p.failed
    )
    return text + voice.t("broadcast.done_unknown", unknown=p.unknown) if p.unknown else text

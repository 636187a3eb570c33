"""Broadcasts: who an audience is, and how sending goes."""

from __future__ import annotations

from collections.abc import Sequence

from bot.views import Voice


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

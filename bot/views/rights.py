"""Admin rights as text: a grant, the list of grants in scope, the audit log."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.domain import Role
from bot.views import Voice
from bot.views.labels import class_label
from bot.views.rank import masked

if TYPE_CHECKING:
    from bot.db.models import AuditEntry, Grant, User
    from bot.services.access import AuditLog, GrantList


def grant_label(voice: Voice, grant: Grant) -> str:
    school = voice.services.content.district.school(grant.school_id)
    name = school.name if school else (grant.school_id or "")
    if grant.scope == "district":
        return voice.t("admin.scope_district")
    if grant.scope == "school":
        return voice.t("admin.scope_school", school=name)
    label = class_label(voice.t, grant.grade or 0, grant.class_no, school.kind if school else None)
    return voice.t("admin.scope_class", school=name, label=label)


def person_label(voice: Voice, user_id: int, user: User | None) -> str:
    """An id, with what the bot knows of its holder: their ranking name as rankings show it, their school and
    department (12345（王* · 城关中学 · 语文组））; the id alone when they never registered or erased their data."""
    if user is None:
        return str(user_id)
    parts = [masked(voice, user.display_name, user.show_name)] if user.display_name else []
    school = voice.services.content.district.school(user.school_id)
    parts += [school.name] if school is not None else []
    parts += [user.department] if user.department else []
    return voice.t("admin.person", id=user_id, who=" · ".join(parts)) if parts else str(user_id)


def _pupil(user: User | None) -> bool:
    """A holder registered as a pupil since the grant (their rights are void: services/access.py)."""
    return user is not None and user.role is Role.student


def _when(voice: Voice, row: Grant | AuditEntry) -> str:
    return f"{row.created_at.astimezone(voice.services.settings.tz):%Y-%m-%d %H:%M}"


def grants_text(voice: Voice, listing: GrantList) -> str:
    grants, people = listing.grants, listing.people
    if not grants:
        return voice.t("admin.grants_none")
    lines = [voice.t("admin.grants_title", n=len(grants))]
    lines += [voice.t("admin.grants_row", user=person_label(voice, g.user_id, people.get(g.user_id)),
                      what=grant_label(voice, g), by=person_label(voice, g.granted_by, people.get(g.granted_by)),
                      when=_when(voice, g)) + (voice.t("admin.grants_pupil") if _pupil(people.get(g.user_id)) else "")
              for g in grants[:50]]  # fmt: skip
    return "\n".join(lines)


def audit_text(voice: Voice, log: AuditLog) -> str:
    """The district's entries, or those about a school admin's schools (named in the title)."""
    entries, district = log.entries, voice.services.content.district
    if log.schools is None:
        title, none = voice.t("admin.audit_title", n=len(entries)), voice.t("admin.audit_none")
    else:
        schools = "、".join(sorted(s.name if (s := district.school(key)) else key for key in log.schools))
        title = voice.t("admin.audit_title_schools", n=len(entries), schools=schools)
        none = voice.t("admin.audit_none_schools", schools=schools)
    if not entries:
        return none
    lines = [title]
    actions = voice.services.content.i18n.section(voice.language, "audit_actions")
    lines += [voice.t("admin.audit_row", when=_when(voice, e), actor=e.actor, action=actions.get(e.action, e.action),
                      detail=detail_words(voice, e.detail))
              for e in entries]  # fmt: skip
    return "\n".join(lines)


def detail_words(voice: Voice, detail: str) -> str:
    """What an audit entry (or an invite) says, in words: schools and campaigns by their names, the kinds of
    place and the ways it came in the admin's language (an admins' pass had read 9104 school cg-p2 (invite)
    and constitution-day-2026 (scheduled end)); anything else as it was typed."""
    content = voice.services.content
    words = content.i18n.section(voice.language, "audit_words")
    shown = []
    for word in detail.split():
        if (campaign := content.campaigns.get(word)) is not None:
            shown.append(campaign.title_in(voice.language))
        elif (school := content.district.school(word)) is not None:
            shown.append(school.name)
        elif word.startswith("scheduled:daily:") and (day := _day(word.removeprefix("scheduled:daily:"))):
            shown.append(voice.t("audit_words.scheduled:daily", month=day.month, day=day.day))
        else:
            shown.append(words.get(word, word))
    return " ".join(shown).replace(" （", "（")  # a full-width bracket takes no space before it


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None

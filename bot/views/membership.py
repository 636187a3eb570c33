"""Membership: join links, joining, numbers and rosters, as the user sees them."""

from __future__ import annotations

from datetime import datetime

from bot.services.membership import Membership, NewLink, Place
from bot.views import Voice
from bot.views.labels import class_label


def deep_link(username: str, payload: str) -> str:
    return f"https://t.me/{username}?start={payload}"


def place_label(voice: Voice, place: Place) -> str:
    if place.grade is None:
        return voice.t("join.school_place", school=place.school.name)
    label = class_label(voice.t, place.grade, place.class_no, place.school.kind)
    return voice.t("join.class_place", school=place.school.name, label=label)


def _local(voice: Voice, moment: datetime) -> str:
    return f"{moment.astimezone(voice.services.settings.tz):%Y-%m-%d %H:%M}"


def link_text(voice: Voice, new: NewLink, link: str) -> str:
    key = "join.link_class" if new.place.is_class else "join.link_school"
    return voice.t(key, place=place_label(voice, new.place), link=link, until=_local(voice, new.expires_at))


def qr_caption(voice: Voice, new: NewLink) -> str:
    """Under the QR code: whose it is, and until when (printed, codes without words could not be told apart)."""
    return voice.t(
        "join.qr_caption", place=place_label(voice, new.place), until=_local(voice, new.expires_at)
    )


def joined_text(voice: Voice, place: Place) -> str:
    key = "join.joined_class" if place.is_class else "join.joined_school"
    return voice.t(key, place=place_label(voice, place))


def membership_line(voice: Voice, found: Membership | None, staff: bool) -> str:
    """The profile's line on how a pupil's class, or a staff member's school, is known (staff join by a
    school's link, and their number is a 工号)."""
    kind = "_staff" if staff else ""
    if found is None or not found.verified:
        return voice.t(f"profile.unverified{kind}")
    if found.number:
        return voice.t(f"profile.verified{kind}_number", number=found.number)
    return voice.t(f"profile.verified{kind}")

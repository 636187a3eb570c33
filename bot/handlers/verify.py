"""/verify CODE: an admin confirms that a printed certificate is genuine. They see the campaign, score,
level, date and the holder's school and class (within their grant), never a name: none is stored."""

from __future__ import annotations

from bot.content.schools import District
from bot.domain import Role
from bot.handlers.base import Turn, handles
from bot.services.certificates import Verified
from bot.services.errors import Refused
from bot.views.labels import class_label


@handles
async def verify_command(turn: Turn) -> None:
    services = turn.services
    scope = await services.access.require(turn.session, turn.user_id)
    typed = "".join(turn.args()[:3])
    if not typed:
        raise Refused("certificate.verify_usage")
    found = await services.campaigns.verify_certificate(turn.session, scope, typed)
    await services.access.audit(turn.session, turn.user_id, "verify", found.code, schools=[found.school_id])
    await turn.reply(turn.t("certificate.verified", code=found.code, score=found.score,
                            campaign=services.campaigns.campaign_title(found.campaign_id, turn.language),
                            level=turn.t(f"certificate.{found.level}"),
                            date=found.issued_at.astimezone(services.settings.tz).strftime("%Y-%m-%d"),
                            school=_school_and_class(turn, services.content.district, found)))  # fmt: skip


def _school_and_class(turn: Turn, district: District, found: Verified) -> str:
    school = district.school(found.school_id)
    if school is None:
        return turn.t("certificate.no_school")
    if found.role != Role.student or found.grade is None or found.class_no is None:
        return school.name
    return f"{school.name} {class_label(turn.t, found.grade, found.class_no, school.kind)}"

"""Certificates: for a user who passed a campaign, a picture with the name they type (not stored)."""

from __future__ import annotations

import io

from telegram import InputFile
from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import Certificate
from bot.domain import Role
from bot.handlers.awaiting import cancels, done, expect
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import require_registration
from bot.render.certificate import certificate_png
from bot.runtime import Services
from bot.services.errors import Refused
from bot.services.privacy import unfit_for_a_name
from bot.views.labels import class_label

MAX_NAME = 20


@handles
async def certificate_button(turn: Turn) -> None:
    if not await require_registration(turn, then="campaign"):
        return
    match callbacks.parse(turn.data):
        case Certificate(campaign_id):
            campaign = turn.services.campaigns.get(turn.me, campaign_id)
            await turn.services.campaigns.certificate(turn.session, turn.me, campaign)  # refused until passed
            expect(turn.me, "certificate", campaign.id)
            await turn.reply(turn.t("certificate.ask_name"))
        case _:
            raise Refused()


async def on_certificate_name(turn: Turn, text: str) -> None:
    """The typed name goes onto the certificate and nowhere else: it is not stored (the register keeps the
    code, score and level only). The picture is drawn after the update's transaction has ended, in a
    worker process."""
    services = turn.services
    campaign = services.campaigns.get(turn.me, done(turn.me))
    if cancels(text):  # a teachers' pass: 取消 went onto a certificate as Qu Xiao
        await turn.reply(turn.t("certificate.cancelled"))
        return
    if unfit_for_a_name(text):  # an insult or a phone number had been printed on a certificate
        expect(turn.me, "certificate", campaign.id)  # the prompt stays: the next text is the name
        await turn.reply(turn.t("certificate.unfit"))
        return
    if len(text.strip()) > MAX_NAME:
        await turn.reply(turn.t("name.shortened", n=MAX_NAME))
    issued = await services.campaigns.issue_certificate(turn.session, turn.me, campaign)
    words = {
        "name": text.strip()[:MAX_NAME],
        "campaign": campaign.title_in(turn.language),  # an English teacher's had 2026年度教职工学法考试 in it
        "score": issued.score,
        "level": turn.t("certificate.excellent" if issued.excellent else "certificate.passed"),
        "issued": services.campaigns.now().astimezone(services.settings.tz).strftime("%Y-%m-%d"),
        "issuer": _issuer(services),
        "role": turn.me.role.value if turn.me.role else None,
        "code": issued.code,
        "language": turn.language,
    }
    words["school"], words["class_label"] = _affiliation(turn)
    bot, chat_id, caption = turn.context.bot, turn.chat_id, turn.t("certificate.caption")

    async def send() -> None:
        png = await services.workers.run(certificate_png, **words)  # type: ignore[arg-type]
        await bot.send_photo(chat_id, InputFile(io.BytesIO(png), filename="certificate.png"), caption=caption)

    turn.later(send)


def _affiliation(turn: Turn) -> tuple[str, str]:
    """The school and, for a pupil, the class shown on their certificate ("", "" when not registered)."""
    user = turn.me
    school = turn.services.content.district.school(user.school_id)
    if school is None or user.role not in (Role.student, Role.staff):
        return "", ""
    if user.role is not Role.student or user.grade is None or user.class_no is None:
        return school.name, ""
    return school.name, class_label(turn.t, user.grade, user.class_no, school.kind)


HANDLERS = [CallbackQueryHandler(certificate_button, pattern=callbacks.kinds(Certificate))]
AWAITING = {"certificate": on_certificate_name}


def _issuer(services: Services) -> str:
    """The bureau, as site.yaml names it; while that is still the shipped sample (示例区教育局), as any district's
    (区教育局), filled as answers are: a teachers' pass had a certificate issued by the sample."""
    generic = services.content.i18n.section(services.settings.default_language, "site_generic")
    return services.faq.faq.fill("{bureau}", "", generic)

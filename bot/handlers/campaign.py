"""/campaign, /rank, certificates, the daily reading, /name, /unsubscribe and /grouprank."""

from __future__ import annotations

import io
import logging

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import InputFile
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.content.campaigns import Campaign
from bot.domain import Role
from bot.handlers.awaiting import done, expect
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import Feature, require_registration
from bot.keyboards import parse_data
from bot.services.campaigns import mask
from bot.services.errors import Refused
from bot.views import quiz as quiz_views
from bot.views.group_quiz import table_text
from bot.views.stats import pct

log = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE
MAX_NAME = 20


def _when(turn: Turn, campaign: Campaign) -> str:
    start, end = campaign.window(turn.services.settings.tz)
    return f"{start:%m-%d %H:%M} — {end:%m-%d %H:%M}"


def _title(turn: Turn, campaign: Campaign) -> str:
    return campaign.title_en if turn.language == "en" and campaign.title_en else campaign.title


@handles
async def campaign_command(turn: Turn) -> None:
    if await require_registration(turn, then="campaign"):
        await show_campaigns(turn)


async def show_campaigns(turn: Turn) -> None:
    user = turn.user
    assert user is not None
    listings = turn.services.campaigns.for_user(user)
    if not listings:
        await turn.reply(turn.t("campaign.none"))
        return
    buttons = [[Button(f"{turn.t('campaign.state_' + x.state)} {_title(turn, x.campaign)}", callback_data=f"camp:o:{x.campaign.id}")]
               for x in listings]  # fmt: skip
    await turn.reply(turn.t("campaign.list"), Markup(buttons))


async def _show(turn: Turn, campaign: Campaign) -> None:
    user = turn.user
    assert user is not None
    service = turn.services.campaigns
    state = service.state(campaign)
    lines = [f"🏆 {_title(turn, campaign)}", turn.t("campaign.when", when=_when(turn, campaign))]
    buttons: list[list[Button]] = []
    if campaign.blueprint is not None:
        left = await service.attempts_left(turn.session, user, campaign)
        lines.append(turn.t("campaign.quiz", n=campaign.blueprint.total, minutes=campaign.blueprint.minutes,
                            left=left, passmark=campaign.pass_mark, excellent=campaign.excellent))  # fmt: skip
        if state == "open" and left:
            buttons.append([Button(turn.t("campaign.start"), callback_data=f"camp:s:{campaign.id}")])
    if campaign.reading is not None and state != "closed":
        member = await service.member(turn.session, user, campaign)
        subscribed = bool(member and member.reading)
        lines.append(turn.t("campaign.reading", time=campaign.reading.time.strftime("%H:%M")))
        label = "campaign.unsubscribe" if subscribed else "campaign.subscribe"
        buttons.append(
            [Button(turn.t(label), callback_data=f"camp:r:{campaign.id}:{0 if subscribed else 1}")]
        )
    if state == "upcoming":
        lines.append(turn.t("campaign.opens", when=_when(turn, campaign).split(" — ")[0]))
    elif state == "closed":
        lines.append(turn.t("campaign.closed"))
    if campaign.blueprint is not None:
        buttons.append([Button(turn.t("campaign.rank"), callback_data=f"camp:k:{campaign.id}"),
                        Button(turn.t("campaign.certificate"), callback_data=f"camp:c:{campaign.id}")])  # fmt: skip
    await turn.show("\n".join(lines), Markup(buttons) if buttons else None)


@handles
async def campaign_button(turn: Turn) -> None:
    """camp:o:ID open | camp:s:ID start | camp:r:ID:1|0 reading | camp:k:ID rank | camp:c:ID certificate |
    camp:q:QUESTION the reading's check question."""
    user, data = turn.user, (turn.query.data if turn.query else "") or ""
    assert user is not None
    if (f := parse_data(data, "camp:q", 1)) is not None:
        if await require_registration(turn, then="quiz"):
            view = await turn.services.quiz.start_single(turn.session, user, f[0])
            await turn.reply(*quiz_views.question_message(turn, view))
        return
    if not await require_registration(turn, then="campaign"):
        return
    service = turn.services.campaigns
    _, action, *fields = data.split(":")  # "camp:" is guaranteed by the handler's pattern
    if not 1 <= len(fields) <= 2 or not all(fields):
        raise Refused()
    campaign = service.get(user, fields[0])
    if action == "o":
        await _show(turn, campaign)
    elif action == "s" and campaign.blueprint is not None:
        await service.join(turn.session, user, campaign)
        view = await turn.services.quiz.start_campaign(turn.session, user, campaign)
        await turn.reply(
            turn.t("campaign.started", title=_title(turn, campaign), minutes=campaign.blueprint.minutes)
        )
        await turn.reply(*quiz_views.question_message(turn, view))
    elif action == "r" and len(fields) == 2 and fields[1] in ("0", "1"):
        await service.set_reading(turn.session, user, campaign, fields[1] == "1")
        await turn.alert(
            turn.t("campaign.subscribed" if fields[1] == "1" else "campaign.unsubscribed"), popup=False
        )
        await _show(turn, campaign)
    elif action == "k":
        await _rank(turn, campaign)
    elif action == "c":
        await _ask_certificate_name(turn, campaign)
    else:
        raise Refused()


async def _rank(turn: Turn, campaign: Campaign) -> None:
    user = turn.user
    assert user is not None
    service = turn.services.campaigns
    standing = await service.standing(turn.session, user, campaign)
    lines = [f"🏆 {_title(turn, campaign)}"]
    if standing is None:
        lines.append(turn.t("rank.none"))
    else:
        score, seconds, class_rank, class_size, school_rank, school_size = standing
        lines.append(turn.t("rank.mine", score=score, minutes=seconds // 60, seconds=seconds % 60))
        if user.role == Role.student:
            lines.append(turn.t("rank.class", rank=class_rank, size=class_size))
        lines.append(turn.t("rank.school", rank=school_rank, size=school_size))
    if campaign.leaderboard:
        board = await service.class_board(turn.session, user, campaign)
        if board:
            lines += ["", turn.t("rank.class_board")]
            lines += [
                f"{i}. {mask(name, show)}  {score}" for i, (name, show, score, _) in enumerate(board, start=1)
            ]
        classes = await service.school_table(turn.session, user, campaign)
        if classes:
            lines += ["", turn.t("rank.classes")]
            district = turn.services.content.district
            for row in sorted(classes, key=lambda r: -r.mean)[:15]:
                _, grade, number = row.key.split(":")
                label = turn.t("rank.class_label", grade=grade, n=number)
                lines.append(
                    turn.t(
                        "rank.row",
                        label=label,
                        n=row.participants,
                        mean=f"{row.mean:.1f}",
                        rate=pct(row.participation),
                    )
                )
            schools = await service.district_table(turn.session, campaign)
            lines += ["", turn.t("rank.schools")]
            for row in sorted(schools, key=lambda r: -r.mean)[:10]:
                school = district.school(row.key)
                lines.append(turn.t("rank.row", label=school.name if school else row.key, n=row.participants,
                                    mean=f"{row.mean:.1f}", rate=pct(row.participation)))  # fmt: skip
    await turn.reply("\n".join(lines))


@handles
async def rank_command(turn: Turn) -> None:
    if await require_registration(turn, then="rank"):
        await show_rank(turn)


async def show_rank(turn: Turn) -> None:
    user = turn.user
    assert user is not None
    listings = [x for x in turn.services.campaigns.for_user(user) if x.campaign.blueprint is not None]
    wanted = turn.args()[:1]
    chosen = next(
        (x.campaign for x in listings if [x.campaign.id] == wanted),
        listings[0].campaign if listings else None,
    )
    if chosen is None:
        await turn.reply(turn.t("campaign.none"))
        return
    await _rank(turn, chosen)


async def _ask_certificate_name(turn: Turn, campaign: Campaign) -> None:
    user = turn.user
    assert user is not None
    standing = await turn.services.campaigns.standing(turn.session, user, campaign)
    if standing is None or standing[0] < campaign.pass_mark:
        await turn.alert(turn.t("certificate.not_yet", passmark=campaign.pass_mark))
        return
    expect(user, "certificate", campaign.id)
    await turn.reply(turn.t("certificate.ask_name"))


async def on_certificate_name(turn: Turn, text: str) -> None:
    """The typed name goes onto the certificate and nowhere else: it is not stored. The picture is drawn
    after the update's transaction has ended, in a worker process."""
    user = turn.user
    assert user is not None
    campaign_id = done(user)
    campaign = turn.services.campaigns.get(user, campaign_id)
    standing = await turn.services.campaigns.standing(turn.session, user, campaign)
    if standing is None or standing[0] < campaign.pass_mark:
        raise Refused("certificate.not_yet_short")
    from bot.render.certificate import certificate_png

    score = standing[0]
    level = turn.t("certificate.excellent") if score >= campaign.excellent else turn.t("certificate.passed")
    issued = turn.services.campaigns.now().astimezone(turn.services.settings.tz).strftime("%Y-%m-%d")
    name, issuer = text.strip()[:MAX_NAME], turn.services.faq.faq.site.get("bureau", "")
    chat = turn.update.effective_chat
    assert chat is not None
    bot, workers, caption = turn.context.bot, turn.services.workers, turn.t("certificate.caption")

    async def send() -> None:
        png = await workers.run(certificate_png, name=name, campaign=campaign.title, score=score,
                                level=level, issued=issued, issuer=issuer)  # fmt: skip
        await bot.send_photo(chat.id, InputFile(io.BytesIO(png), filename="certificate.png"), caption=caption)

    turn.later(send)


@handles
async def name_command(turn: Turn) -> None:
    """`/name 张三` sets the name shown (masked, 张*) in rank tables; `/name show|hide|clear`."""
    user = turn.user
    assert user is not None
    arg = " ".join(turn.args()).strip()
    if arg in ("show", "显示"):
        user.show_name = True
    elif arg in ("hide", "隐藏"):
        user.show_name = False
    elif arg in ("clear", "清除"):
        user.display_name, user.show_name = None, False
    elif arg:
        user.display_name = "".join(ch for ch in arg if ch.isprintable())[:MAX_NAME] or None
    shown = mask(user.display_name, user.show_name) if user.display_name else turn.t("name.none")
    await turn.reply(turn.t("name.current", name=shown))


@handles
async def unsubscribe_command(turn: Turn) -> None:
    user = turn.user
    assert user is not None
    count = await turn.services.campaigns.unsubscribe_all(turn.session, user)
    await turn.reply(turn.t("campaign.unsubscribed_all" if count else "campaign.no_subscription"))


@handles
async def grouprank_command(turn: Turn) -> None:
    """In a class group: the last quiz round's table; `/grouprank <campaign>` by a class teacher shows the
    boards of their classes for that campaign."""
    chat, tg_user = turn.update.effective_chat, turn.update.effective_user
    assert chat is not None and tg_user is not None
    wanted = turn.args()[:1]
    if wanted and wanted[0] in turn.services.content.campaigns:
        campaign = turn.services.content.campaigns[wanted[0]]
        scope = await turn.services.access.require(turn.session, tg_user.id)
        lines = [f"🏆 {campaign.title}"]
        for (_, grade, number), board in await turn.services.campaigns.class_boards(
            turn.session, campaign, scope
        ):
            lines.append(turn.t("rank.class_label", grade=grade, n=number))
            lines += [
                f"{i}. {mask(name, show)}  {score}" for i, (name, show, score, _) in enumerate(board, start=1)
            ]
        await turn.reply("\n".join(lines) if len(lines) > 1 else turn.t("rank.none"))
        return
    table = await turn.services.group_quiz.last_table(turn.session, chat_id=chat.id)
    await turn.reply(table_text(turn, table) if table else turn.t("group.none_running"))


HANDLERS = [
    CommandHandler("campaign", campaign_command, filters=PRIVATE),
    CommandHandler("rank", rank_command, filters=PRIVATE),
    CommandHandler("name", name_command, filters=PRIVATE),
    CommandHandler("unsubscribe", unsubscribe_command, filters=PRIVATE),
    CommandHandler("grouprank", grouprank_command, filters=filters.ChatType.GROUPS),
    CallbackQueryHandler(campaign_button, pattern=r"^camp:"),
]
AWAITING = {"certificate": on_certificate_name}
FEATURES = {"campaign": Feature(show_campaigns), "rank": Feature(show_rank)}

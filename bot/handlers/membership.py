"""Verified class membership: /joinlink (a class's or a school's link and its QR code, for the class
teacher or school admin), opening one (`/start j_<code>`, registering without choosing), the 学号 (staff:
工号, optional) a member gives once, and /roster (a class's 学号 list: a numbers-only XLSX or CSV)."""

from __future__ import annotations

import io

from telegram import InputFile
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot import callbacks, keyboards
from bot.callbacks import JoinCancel, JoinConfirm, SkipNumber
from bot.chinese import CHINESE
from bot.domain import Role
from bot.handlers.awaiting import as_question, awaited, done, expect, read_media
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import ask
from bot.keyboards import membership as membership_keyboards
from bot.render.qr import qr_png
from bot.services.errors import Refused
from bot.services.membership import JOIN_PREFIX
from bot.services.registration import Step
from bot.services.roster import MAX_BYTES
from bot.views import membership as views


@handles
async def joinlink_command(turn: Turn) -> None:
    """/joinlink [<school> [<grade>-<class>]] (the school by id or name): a new link and its QR code (with no words, for the one
    class or school of the grant); `/joinlink revoke [...]` closes the place's open links."""
    scope = await turn.services.access.require(turn.session, turn.user_id)
    args, service = turn.args()[:3], turn.services.membership
    if args[:1] == ["revoke"]:
        place = service.place(scope, args[1:])
        count = await service.revoke_links(turn.session, place)
        await turn.reply(turn.t("join.revoked", n=count, place=views.place_label(turn, place)))
        return
    new = await service.create_link(turn.session, turn.user_id, service.place(scope, args))
    link = views.deep_link(turn.context.bot.username, JOIN_PREFIX + new.code)
    await turn.reply(views.link_text(turn, new, link))
    bot, chat_id, workers = turn.context.bot, turn.chat_id, turn.services.workers
    caption = views.qr_caption(turn, new)  # printed codes told apart (an admins' pass: it had none)

    async def send_qr() -> None:
        png = await workers.run(qr_png, link)
        await bot.send_photo(chat_id, InputFile(io.BytesIO(png), filename="join.png"), caption=caption)

    turn.later(send_qr)


async def open_join_link(turn: Turn, code: str) -> None:
    """`/start j_<code>`: registered in the link's class (or school) at once, then asked for the number;
    first asked to confirm by someone registered in another role (a class link forwarded to parents, a
    teacher trying the class's link): joining makes them a pupil of that class (or its school's staff)."""
    me = turn.me
    place = await turn.services.membership.place_of(turn.session, code)
    if me.registered and me.role is not None and me.role != place.role:
        text = turn.t("join.confirm_role", place=views.place_label(turn, place), now=turn.t(f"role.{me.role.value}"),
                      then=turn.t(f"role.{place.role.value}"))  # fmt: skip
        await turn.reply(text, membership_keyboards.confirm_join(turn.t, code))
        return
    await _join(turn, code)


async def _join(turn: Turn, code: str) -> None:
    """Joined, and asked for the number; one given already may be corrected (the link opened again: a
    pupils' pass had been asked for it, then told 现在不需要输入学号)."""
    service = turn.services.membership
    place = await service.join(turn.session, turn.me, code)
    found = await service.membership(turn.session, turn.me)
    given = found.number if found is not None else None
    if given and not await service.may_correct(turn.session, turn.me):  # the roster's: it stays
        await turn.reply(views.joined_text(turn, place) + "\n\n" + turn.t("join.number_given", number=given))
        return
    expect(turn.me, "join_number", "change" if given else "")
    kind = "number" if place.is_class else "staff_number"
    ask = turn.t(f"join.ask_{kind}_again", number=given) if given else turn.t(f"join.ask_{kind}")
    await turn.reply(views.joined_text(turn, place) + "\n\n" + ask, membership_keyboards.skip_number(turn.t))


async def on_number(turn: Turn, text: str) -> None:
    """The typed 学号 (or 工号); a wrong one is refused and may be typed again. Chinese words are no
    number: they are a question (a parent who opened a class link forwarded to them, a pupil asking
    something else) and are answered, the number no longer waited for."""
    if CHINESE.search(text):
        done(turn.me)
        await as_question(turn, text)
        return
    service = turn.services.membership
    found = await service.membership(turn.session, turn.me)
    replace = awaited(turn.me)[1] == "change"
    if found is None or not found.verified or (found.number and not replace):
        done(turn.me)
        await turn.reply(turn.t("join.number_not_asked"), keyboards.main_menu(turn.t))
        return
    number = await service.give_number(turn.session, turn.me, text, replace=replace)
    done(turn.me)
    saved = "join.number_saved" if found.place.is_class else "join.staff_number_saved"  # a school's: a 工号
    await _then(turn, turn.t(saved, number=number))


async def _then(turn: Turn, said: str) -> None:
    """After the number (given or skipped): a staff member's department where the school lists them (a
    link registers staff without that question), else the main menu."""
    if turn.services.registration.missing_department(turn.me):
        await ask(turn, Step.department, intro=said)
    else:
        await turn.show(said, keyboards.main_menu(turn.t))


@handles
async def join_button(turn: Turn) -> None:
    match callbacks.parse(turn.data):
        case JoinConfirm(code):
            await _join(turn, code)
        case JoinCancel():
            await turn.show(turn.t("join.stayed"), keyboards.main_menu(turn.t))
        case _:
            raise Refused()


@handles
async def skip_number(turn: Turn) -> None:
    match callbacks.parse(turn.data):
        case SkipNumber() if awaited(turn.me)[0] == "join_number":
            kept = done(turn.me) == "change"  # the number given before stays
            skipped = (
                "join.kept"
                if kept
                else "join.skipped"
                if turn.me.role == Role.staff
                else "join.skipped_number"
            )
            await _then(turn, turn.t(skipped))
        case _:
            raise Refused()


@handles
async def roster_command(turn: Turn) -> None:
    """/roster [<school> <grade>-<class>]: the next document the teacher sends is the class's 学号 list."""
    scope = await turn.services.access.require(turn.session, turn.user_id)
    place = turn.services.membership.place(scope, turn.args()[:2], usage="roster.class_only")
    if not place.is_class:
        raise Refused("roster.class_only")
    expect(turn.me, "roster", f"{place.school.id} {place.grade}-{place.class_no}")
    await turn.reply(turn.t("roster.send", place=views.place_label(turn, place)))


@handles
async def on_document(turn: Turn) -> None:
    """A document in a private chat: a class roster, when /roster asked for one (rights checked again);
    any other document is read like a photo (its caption as a question), or, from a teacher or admin
    with nothing to say on it, answered with how to upload a roster."""
    kind, detail = awaited(turn.me)
    message = turn.update.effective_message
    document = message.document if message else None
    if kind != "roster" or document is None:
        teacher = (
            document is not None
            and not turn.text.strip()
            and not (await turn.services.access.scope(turn.session, turn.user_id)).empty
        )
        await (turn.reply(turn.t("roster.unexpected")) if teacher else read_media(turn))
        return
    services = turn.services
    place = services.membership.place(
        await services.access.require(turn.session, turn.user_id), detail.split()
    )
    if (document.file_size or 0) > MAX_BYTES:
        raise Refused("roster.too_big")
    data = bytes(await (await document.get_file()).download_as_bytearray())
    count = await services.membership.upload_roster(
        turn.session, turn.user_id, place, document.file_name or "", data
    )
    done(turn.me)
    await services.access.audit(turn.session, turn.user_id, "roster", f"{detail} ({count})",
                                schools=[place.school.id])  # fmt: skip
    await turn.reply(turn.t("roster.saved", n=count, place=views.place_label(turn, place)))


async def on_roster_text(turn: Turn, text: str) -> None:
    """Text while /roster waits for the file: a 学号 typed (it had been kept as an unanswered enrollment
    question, a pupil's number in /unanswered) is told to come as the file; other text is a question, and
    the teacher has moved on."""
    if text.strip().isdigit():
        await turn.reply(turn.t("roster.send_a_file"))
        return
    done(turn.me)
    await as_question(turn, text)


HANDLERS = [
    CallbackQueryHandler(skip_number, pattern=callbacks.kinds(SkipNumber)),
    CallbackQueryHandler(join_button, pattern=callbacks.kinds(JoinConfirm, JoinCancel)),
    MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_document),
]
AWAITING = {"join_number": on_number, "roster": on_roster_text}
DEEP_LINKS = {"j": open_join_link}

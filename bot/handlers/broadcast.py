"""/broadcast (super admins): compose, choose the audience, preview, confirm. bot/jobs.py sends it, at
BULK_RATE, resumable; `/broadcast status` shows how far each has got."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import Audience, CancelBroadcast, ConfirmBroadcast
from bot.handlers.awaiting import done, expect
from bot.handlers.base import Turn, handles
from bot.keyboards import broadcast as keyboards
from bot.services.errors import Refused
from bot.views import broadcast as views


@handles
async def broadcast_command(turn: Turn) -> None:
    """/broadcast: the next message the super admin types is the text to send; `/broadcast school <id>`
    or `/broadcast grade <n>` names the audience beforehand; `/broadcast status`."""
    await turn.services.access.require_super(turn.session, turn.user_id)
    if not turn.private:
        raise Refused("admin.refused")
    args, service = turn.args()[:3], turn.services.broadcasts
    if args[:1] == ["status"]:
        progress = [(b.id, (p := await service.progress(turn.session, b.id)).sent, p.blocked, p.failed)
                    for b in await service.sending(turn.session)]  # fmt: skip
        await turn.reply(views.status_text(turn, progress))
        return
    expect(turn.me, "broadcast", service.audience_named(args))
    await turn.reply(turn.t("broadcast.compose"))


async def on_broadcast_text(turn: Turn, text: str) -> None:
    """The typed text: a draft, and its audience to choose (all, staff, students, or the one named)."""
    audience = done(turn.me)
    await turn.services.access.require_super(turn.session, turn.user_id)
    draft = await turn.services.broadcasts.create(turn.session, actor=turn.user_id, text=text)
    choices = [audience] if audience else turn.services.broadcasts.audiences()
    labelled = [(a, views.audience_label(turn, a)) for a in choices]
    await turn.reply(turn.t("broadcast.choose"), keyboards.audiences(turn.t, draft.id, labelled))


@handles
async def broadcast_button(turn: Turn) -> None:
    await turn.services.access.require_super(turn.session, turn.user_id)
    service, actor = turn.services.broadcasts, turn.user_id
    match callbacks.parse(turn.data):
        case Audience(broadcast_id, audience):
            draft, count = await service.choose(
                turn.session, actor=actor, broadcast_id=broadcast_id, audience=audience
            )
            label = views.audience_label(turn, audience)
            if not count:  # nobody to send to: another audience, not a confirmation of nothing
                others = [(a, views.audience_label(turn, a)) for a in service.audiences()]
                await turn.show(
                    turn.t("broadcast.nobody", audience=label), keyboards.audiences(turn.t, draft.id, others)
                )
                return
            preview = turn.t(
                "broadcast.preview", n=count, audience=label, text=views.letter_text(turn, draft.text[:1000])
            )
            await turn.show(preview, keyboards.confirm(turn.t, draft.id))
        case ConfirmBroadcast(broadcast_id):
            sending = await service.confirm(turn.session, actor=actor, broadcast_id=broadcast_id)
            await turn.services.access.audit(turn.session, actor, "broadcast", views.audit_detail(sending),
                                             schools=service.schools_of(sending.audience))  # fmt: skip
            await turn.show(turn.t("broadcast.started"))
        case CancelBroadcast(broadcast_id):
            await service.cancel(turn.session, actor=actor, broadcast_id=broadcast_id)
            await turn.show(turn.t("broadcast.cancelled"))
        case _:
            raise Refused()


HANDLERS = [
    CallbackQueryHandler(
        broadcast_button, pattern=callbacks.kinds(Audience, ConfirmBroadcast, CancelBroadcast)
    )
]
AWAITING = {"broadcast": on_broadcast_text}

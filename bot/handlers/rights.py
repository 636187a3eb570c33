"""Admin rights: /grant and /revoke (super admins anything; district admins schools and classes; school
admins classes of their own schools; all audited), grants by one-time invite link (`/grant invite ...`,
opened as `/start g_<token>`), /grants (the grants in scope) and /audit (the last grants, revokes and
exports). Rights come from ADMIN_IDS and grants only; anyone else is refused without learning what exists."""

from __future__ import annotations

from bot.handlers.base import Turn, handles
from bot.services.access import INVITE_HOURS, INVITE_PREFIX
from bot.services.errors import Refused
from bot.views import rights as views
from bot.views.membership import deep_link


@handles
async def grant(turn: Turn) -> None:
    """/grant <user id> district | school <school id> | class <school id> <grade>-<class>;
    /grant invite <the same without the user id>: a one-time link for the new admin to open."""
    args = turn.args()[:5]
    if args[:1] == ["invite"]:
        if not turn.private:  # whoever reads a group could open it
            raise Refused("admin.invite_private")
        token = await turn.services.access.invite(turn.session, turn.user_id, args[1:])
        link = deep_link(turn.context.bot.username, INVITE_PREFIX + token)
        what = views.detail_words(turn, " ".join(args[1:]))  # 学校 城关第二小学, not school 城关第二小学
        await turn.reply(turn.t("admin.invite", what=what, link=link, hours=INVITE_HOURS))
        return
    given = await turn.services.access.grant(turn.session, turn.user_id, args[:4])
    # to whom, and the place by its name (城关第一小学 五年级1班), not as typed (cg-p1 5-1)
    await turn.reply(turn.t("admin.granted", user=given.user_id, what=views.grant_label(turn, given)))


@handles
async def revoke(turn: Turn) -> None:
    count = await turn.services.access.revoke(turn.session, turn.user_id, turn.args()[:4])
    await turn.reply(turn.t("admin.revoked", n=count) if count else turn.t("admin.revoked_none"))


async def accept_invite(turn: Turn, token: str) -> None:
    """`/start g_<token>`: the invite's grant, to whoever opens it first."""
    given = await turn.services.access.accept(turn.session, turn.user_id, token)
    await turn.reply(turn.t("admin.invite_accepted", what=views.grant_label(turn, given)))


@handles
async def grants_command(turn: Turn) -> None:
    await turn.reply(views.grants_text(turn, await turn.services.access.grants(turn.session, turn.user_id)))


@handles
async def audit_command(turn: Turn) -> None:
    await turn.reply(views.audit_text(turn, await turn.services.access.audit_log(turn.session, turn.user_id)))


DEEP_LINKS = {"g": accept_invite}

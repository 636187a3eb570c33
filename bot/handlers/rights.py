"""Admin rights: /grant and /revoke (super admins only, audited). Rights come from ADMIN_IDS and grants
only; anyone else is refused without learning what exists."""

from __future__ import annotations

from bot.handlers.base import Turn, handles


@handles
async def grant(turn: Turn) -> None:
    """/grant <user id> district | school <school id> | class <school id> <grade>-<class>"""
    await turn.services.access.grant(turn.session, turn.user_id, turn.args()[:4])
    await turn.reply(turn.t("admin.granted", what=" ".join(turn.args()[:4])))


@handles
async def revoke(turn: Turn) -> None:
    count = await turn.services.access.revoke(turn.session, turn.user_id, turn.args()[:4])
    await turn.reply(turn.t("admin.revoked", n=count))

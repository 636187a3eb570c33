"""/missing and /remind: who in the admin's scope has not finished a campaign, and a reminder to them (at
most once a day each; sent by the broadcast job, which tells the admin how many it reached)."""

from __future__ import annotations

from bot.handlers.base import Turn, handles
from bot.services.followup import remind_action
from bot.views import followup as views


@handles
async def missing_command(turn: Turn) -> None:
    """/missing [campaign] [school <school>]"""
    scope, args = await turn.services.access.scope_named(turn.session, turn.user_id, turn.args()[:3])
    campaign = turn.services.campaigns.for_scope(next(iter(args[:1]), None), scope)
    missing = await turn.services.followup.missing(turn.session, campaign, scope)
    await turn.reply(views.missing_text(turn, missing))


@handles
async def remind_command(turn: Turn) -> None:
    """/remind [campaign] [school <school>]"""
    scope, args = await turn.services.access.scope_named(turn.session, turn.user_id, turn.args()[:3])
    campaign = turn.services.campaigns.for_scope(next(iter(args[:1]), None), scope)
    texts = views.reminder_texts(turn.services, campaign)
    reminded = await turn.services.followup.remind(turn.session, turn.user_id, campaign, scope, texts)
    await turn.services.access.audit(  # one that reached nobody is on record as such
        turn.session, turn.user_id, remind_action(reminded), campaign.id, schools=scope.named_schools
    )
    await turn.reply(views.reminded_text(turn, reminded))

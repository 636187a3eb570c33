"""Every command in one table: its name, the chats it works in, who may use it, and its handler.

From the table come the CommandHandlers (and, for a command used in the wrong kind of chat, a short
answer saying where it works), /help as each user may use it, and the command menus announced to
Telegram (setMyCommands) for private chats, groups and the super admins. `who` decides what is listed;
rights themselves are checked by the services, every time (a grant can change at any time).

To add a command: its handler in the area's file, its text in the area's view, a row here, and
`commands.<name>` in both locale files."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeChat
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler, filters

from bot import keyboards
from bot.domain import Scope
from bot.handlers import (
    broadcast,
    campaign,
    curation,
    dashboard,
    faq,
    followup,
    group_quiz,
    law,
    membership,
    profile,
    quiz,
    rank,
    rights,
    start,
    stats,
    verify,
)
from bot.handlers.base import Turn, Wrapped, handles, notice_due
from bot.handlers.onboarding import Feature
from bot.runtime import services_of


class Where(StrEnum):
    private = "private"
    groups = "groups"
    anywhere = "anywhere"


class Who(StrEnum):
    """Who a command is listed for, each level including those above it."""

    everyone = "everyone"
    admins = "admins"  # holders of any grant, class teachers included (and the levels above)
    school_admins = "school_admins"  # a school's grant or the district's
    district_admins = "district_admins"  # the district's grant
    super_admins = "super_admins"  # ADMIN_IDS only


LEVELS = list(Who)  # in order: a level may use the commands of every level before it


def level_of(scope: Scope, *, super_admin: bool) -> Who:
    if super_admin:
        return Who.super_admins
    if scope.district:
        return Who.district_admins
    if scope.schools:
        return Who.school_admins
    return Who.everyone if scope.empty else Who.admins


@dataclass(frozen=True)
class Command:
    name: str
    run: Wrapped
    where: Where = Where.private
    who: Who = Who.everyone


async def show_help(turn: Turn) -> None:
    """/help: what this user may use here, admin commands included for admins (in a group, once a minute:
    `notice_due`, for each level: a pupil's /help had silenced an admin's, whose lists more)."""
    user_id = turn.user_id
    scope = await turn.services.access.scope(turn.session, user_id)
    level = level_of(scope, super_admin=turn.services.access.is_super(user_id))
    if not notice_due(turn, f"help:{level.name}"):
        return
    where = Where.private if turn.private else Where.groups
    await turn.reply("\n".join(help_lines(turn, listed(level=level, where=where))))


COMMANDS: tuple[Command, ...] = (
    Command("start", start.start, Where.anywhere),
    Command("quiz", quiz.quiz_command),
    Command("mistakes", quiz.mistakes_command),
    Command("scores", quiz.scores_command),
    Command("campaign", campaign.campaign_command),
    Command("rank", rank.rank_command),
    Command("name", rank.name_command),
    Command("unsubscribe", campaign.unsubscribe_command),
    Command("law", law.law_command, Where.anywhere),
    Command("faq", faq.faq_command, Where.anywhere),
    Command("groupquiz", group_quiz.groupquiz, Where.groups),
    Command("stopquiz", group_quiz.stopquiz, Where.groups),
    Command("grouprank", rank.grouprank_command, Where.groups),
    Command("profile", profile.profile),
    Command("myid", profile.myid),
    Command("language", profile.language),
    Command("deleteme", profile.deleteme),
    Command("help", handles(show_help), Where.anywhere),
    Command("stats", stats.stats_command, Where.private, Who.admins),  # figures stay out of groups
    Command("export", stats.export_command, Where.private, Who.admins),
    Command("chart", stats.chart_command, Where.private, Who.admins),
    Command("dashboard", dashboard.dashboard_command, Where.private, Who.admins),
    Command("verify", verify.verify_command, Where.private, Who.admins),
    Command("missing", followup.missing_command, Where.private, Who.admins),
    Command("remind", followup.remind_command, Where.private, Who.admins),
    Command("joinlink", membership.joinlink_command, Where.private, Who.admins),
    Command("roster", membership.roster_command, Where.private, Who.admins),
    Command("names", rank.names_command, Where.private, Who.admins),
    Command("grant", rights.grant, Where.anywhere, Who.school_admins),
    Command("revoke", rights.revoke, Where.anywhere, Who.school_admins),
    Command("grants", rights.grants_command, Where.private, Who.school_admins),
    Command("audit", rights.audit_command, Where.private, Who.school_admins),
    Command("broadcast", broadcast.broadcast_command, Where.private, Who.super_admins),
    Command("unanswered", curation.unanswered, Where.private, Who.super_admins),
    Command("reload", curation.reload_content, Where.anywhere, Who.super_admins),
)
# Other names a command answers to, listed nowhere: /lang, the usual short name (an English teacher's pass had
# been told "Unknown command").
ALIASES = {"lang": "language"}
log = logging.getLogger(__name__)
FILTERS = {
    Where.private: filters.ChatType.PRIVATE,
    Where.groups: filters.ChatType.GROUPS,
    Where.anywhere: filters.ALL,
}


@handles
async def private_only(turn: Turn) -> None:
    if not notice_due(turn, "private_only"):
        return
    await turn.reply(turn.t("group.private_only"), keyboards.open_private(turn.t, turn.context.bot.username))


@handles
async def groups_only(turn: Turn) -> None:
    await turn.reply(turn.t("group.groups_only"))


def handlers() -> list[CommandHandler]:  # type: ignore[type-arg]
    made: list[CommandHandler] = []  # type: ignore[type-arg]
    for command in COMMANDS:
        names = [command.name, *(alias for alias, name in ALIASES.items() if name == command.name)]
        made.append(CommandHandler(names, command.run, filters=FILTERS[command.where]))
        if command.where is Where.private:
            made.append(CommandHandler(names, private_only, filters=filters.ChatType.GROUPS))
        elif command.where is Where.groups:
            made.append(CommandHandler(names, groups_only, filters=filters.ChatType.PRIVATE))
    return made


def listed(*, level: Who, where: Where) -> list[Command]:
    """The commands a user of `level` may use in a kind of chat, in the table's order."""
    allowed = set(LEVELS[: LEVELS.index(level) + 1])
    return [c for c in COMMANDS if c.who in allowed and (c.where is Where.anywhere or c.where is where)]


def help_lines(turn: Turn, commands: Sequence[Command]) -> list[str]:
    everyone = [c for c in commands if c.who is Who.everyone]
    lines = [turn.t("help.title")] + [f"/{c.name} — {turn.t(f'commands.{c.name}')}" for c in everyone]
    admin = [c for c in commands if c.who is not Who.everyone]
    if admin:
        lines += ["", turn.t("help.admin")] + [f"/{c.name} — {turn.t(f'commands.{c.name}')}" for c in admin]
    return lines


async def announce(app: Application) -> None:  # type: ignore[type-arg]
    """The command menus Telegram shows: private chats, groups, and each super admin's own chat."""
    services = services_of(app)
    i18n = services.content.i18n

    def menu(lang: str, commands: list[Command]) -> list[BotCommand]:
        return [BotCommand(c.name, i18n.t(lang, f"commands.{c.name}")) for c in commands]

    for lang in i18n.catalogs:
        codes = [lang, None] if lang == i18n.default else [lang]
        for code in codes:
            await app.bot.set_my_commands(
                menu(lang, listed(level=Who.everyone, where=Where.private)), language_code=code
            )
            await app.bot.set_my_commands(menu(lang, listed(level=Who.everyone, where=Where.groups)),
                                          scope=BotCommandScopeAllGroupChats(), language_code=code)  # fmt: skip
            for admin_id in sorted(services.settings.admin_ids):
                try:
                    await app.bot.set_my_commands(menu(lang, listed(level=Who.super_admins, where=Where.private)),
                                                  scope=BotCommandScopeChat(admin_id), language_code=code)  # fmt: skip
                except BadRequest as exc:  # an admin who has not opened a chat with the bot yet
                    log.warning("admin commands not announced to %s: %s", admin_id, exc.message)


FEATURES = {"help": Feature(show_help, needs_registration=False)}

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
from bot.handlers import (
    broadcast,
    campaign,
    curation,
    dashboard,
    faq,
    group_quiz,
    law,
    profile,
    quiz,
    rank,
    rights,
    start,
    stats,
    verify,
)
from bot.handlers.base import Turn, Wrapped, handles
from bot.handlers.onboarding import Feature
from bot.runtime import services_of


class Where(StrEnum):
    private = "private"
    groups = "groups"
    anywhere = "anywhere"


class Who(StrEnum):
    everyone = "everyone"
    admins = "admins"  # holders of a grant (or super admins): listed for them only
    super_admins = "super_admins"  # ADMIN_IDS only


@dataclass(frozen=True)
class Command:
    name: str
    run: Wrapped
    where: Where = Where.private
    who: Who = Who.everyone


async def show_help(turn: Turn) -> None:
    """/help: what this user may use here, admin commands included for admins."""
    user_id = turn.user_id
    super_admin = turn.services.access.is_super(user_id)
    admin = super_admin or not (await turn.services.access.scope(turn.session, user_id)).empty
    where = Where.private if turn.private else Where.groups
    await turn.reply("\n".join(help_lines(turn, listed(admin=admin, super_admin=super_admin, where=where))))


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
    Command("language", profile.language),
    Command("deleteme", profile.deleteme),
    Command("help", handles(show_help), Where.anywhere),
    Command("stats", stats.stats_command, Where.private, Who.admins),  # figures stay out of groups
    Command("export", stats.export_command, Where.private, Who.admins),
    Command("chart", stats.chart_command, Where.private, Who.admins),
    Command("dashboard", dashboard.dashboard_command, Where.private, Who.admins),
    Command("verify", verify.verify_command, Where.private, Who.admins),
    Command("broadcast", broadcast.broadcast_command, Where.private, Who.super_admins),
    Command("grant", rights.grant, Where.anywhere, Who.super_admins),
    Command("revoke", rights.revoke, Where.anywhere, Who.super_admins),
    Command("unanswered", curation.unanswered, Where.private, Who.super_admins),
    Command("reload", curation.reload_content, Where.anywhere, Who.super_admins),
)
log = logging.getLogger(__name__)
FILTERS = {
    Where.private: filters.ChatType.PRIVATE,
    Where.groups: filters.ChatType.GROUPS,
    Where.anywhere: filters.ALL,
}


@handles
async def private_only(turn: Turn) -> None:
    await turn.reply(turn.t("group.private_only"), keyboards.open_private(turn.t, turn.context.bot.username))


@handles
async def groups_only(turn: Turn) -> None:
    await turn.reply(turn.t("group.groups_only"))


def handlers() -> list[CommandHandler]:  # type: ignore[type-arg]
    made: list[CommandHandler] = []  # type: ignore[type-arg]
    for command in COMMANDS:
        made.append(CommandHandler(command.name, command.run, filters=FILTERS[command.where]))
        if command.where is Where.private:
            made.append(CommandHandler(command.name, private_only, filters=filters.ChatType.GROUPS))
        elif command.where is Where.groups:
            made.append(CommandHandler(command.name, groups_only, filters=filters.ChatType.PRIVATE))
    return made


def listed(*, admin: bool, super_admin: bool, where: Where) -> list[Command]:
    """The commands a user may use in a kind of chat, in the table's order."""
    allowed = (
        {Who.everyone}
        | ({Who.admins} if admin or super_admin else set())
        | ({Who.super_admins} if super_admin else set())
    )
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
                menu(lang, listed(admin=False, super_admin=False, where=Where.private)), language_code=code
            )
            await app.bot.set_my_commands(menu(lang, listed(admin=False, super_admin=False, where=Where.groups)),
                                          scope=BotCommandScopeAllGroupChats(), language_code=code)  # fmt: skip
            for admin_id in sorted(services.settings.admin_ids):
                try:
                    await app.bot.set_my_commands(menu(lang, listed(admin=True, super_admin=True, where=Where.private)),
                                                  scope=BotCommandScopeChat(admin_id), language_code=code)  # fmt: skip
                except BadRequest as exc:  # an admin who has not opened a chat with the bot yet
                    log.warning("admin commands not announced to %s: %s", admin_id, exc.message)


FEATURES = {"help": Feature(show_help, needs_registration=False)}

"""/start, /help and the main menu."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import open_feature

# Commands in the order /help lists them and setMyCommands announces them.
COMMANDS = (
    "start",
    "quiz",
    "mistakes",
    "campaign",
    "rank",
    "scores",
    "law",
    "faq",
    "groupquiz",
    "profile",
    "language",
    "deleteme",
    "help",
)


def help_text(turn: Turn) -> str:
    return "\n".join(
        [turn.t("help.title")] + [f"/{name} — {turn.t(f'commands.{name}')}" for name in COMMANDS]
    )


@handles
async def start(turn: Turn) -> None:
    if not turn.private:
        await turn.reply(turn.t("group.start"), keyboards.open_private(turn.t, turn.context.bot.username))
        return
    await turn.reply(turn.t("start.welcome"), keyboards.main_menu(turn.t))


@handles
async def help_command(turn: Turn) -> None:
    await turn.reply(help_text(turn))


@handles
async def menu(turn: Turn) -> None:
    data = (turn.query.data if turn.query else "") or ""
    if data == "menu:help":
        await turn.reply(help_text(turn))
    else:  # menu:quiz, menu:scores, menu:faq: a feature of another area, opened by name
        await open_feature(turn, data.removeprefix("menu:"))


HANDLERS = [
    CommandHandler("start", start),
    CommandHandler("help", help_command),
    CallbackQueryHandler(menu, pattern=r"^menu:"),
]

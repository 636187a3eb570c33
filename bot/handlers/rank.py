"""/rank, /name and /grouprank: standings and leaderboards, with names masked as each pupil chose."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import CampaignRank, ClearName
from bot.content.campaigns import Campaign
from bot.content.schools import typed_class
from bot.domain import Role
from bot.handlers.awaiting import as_question, cancels, done, expect
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import Feature, require_registration
from bot.handlers.sender import send_text
from bot.keyboards import rank as keyboards
from bot.services.errors import Refused
from bot.services.privacy import unfit_for_a_name
from bot.views import Speaker
from bot.views import rank as views
from bot.views.group_quiz import table_text

MAX_NAME = 20


@handles
async def rank_command(turn: Turn) -> None:
    if await require_registration(turn, then="rank"):
        await show_rank(turn)


async def show_rank(turn: Turn) -> None:
    """`/rank [campaign]`: the campaign named, or the current one of the user's."""
    await _rank(turn, turn.services.campaigns.current(next(iter(turn.args()[:1]), None), turn.me))


async def _rank(turn: Turn, campaign: Campaign) -> None:
    service, user = turn.services.campaigns, turn.me
    standing = await service.standing(turn.session, user, campaign)
    lines = [
        f"🏆 {campaign.title_in(turn.language)}",
        *views.standing_lines(
            turn, standing, student=user.role == Role.student, ended=service.state(campaign) == "closed"
        ),  # fmt: skip
    ]
    if campaign.leaderboard:
        board = await service.class_board(turn.session, user, campaign)
        classes = await service.school_table(turn.session, user, campaign)
        schools = await service.district_table(turn.session, campaign) if classes else []
        lines += views.table_lines(turn, board, classes, schools)
    await turn.reply("\n".join(lines))


@handles
async def rank_button(turn: Turn) -> None:
    if not await require_registration(turn, then="rank"):
        return
    match callbacks.parse(turn.data):
        case CampaignRank(campaign_id):
            await _rank(turn, turn.services.campaigns.get(turn.me, campaign_id))
        case _:
            raise Refused()


@handles
async def name_command(turn: Turn) -> None:
    """`/name 张三` sets the name shown (masked, 张*) in rank tables; `/name show|hide|clear`."""
    user, arg = turn.me, " ".join(turn.args()).strip()
    if arg in ("show", "显示"):
        user.show_name = True
        await turn.reply(turn.t("name.shown"))  # a child's full real name had gone up with no word
    elif arg in ("hide", "隐藏"):
        user.show_name = False
    elif arg in ("clear", "清除"):
        user.display_name, user.show_name = None, False
    elif arg:
        await _set_name(turn, arg)
    else:  # the name is awaited (a pupils' pass: 张伟 typed after a bare /name went to the FAQ, and was kept)
        expect(user, "name")
        await turn.reply(_current_name(turn) + "\n" + turn.t("name.ask"))
        return
    await turn.reply(_current_name(turn))


def _current_name(turn: Turn) -> str:
    return turn.t("name.current", name=views.masked(turn, turn.me.display_name, turn.me.show_name))


async def _set_name(turn: Turn, typed: str) -> None:
    if unfit_for_a_name(typed):  # the table is seen by the whole class and school
        raise Refused("name.personal")
    printable = "".join(ch for ch in typed if ch.isprintable())
    turn.me.display_name = printable[:MAX_NAME] or None
    if len(printable) > MAX_NAME:
        await turn.reply(turn.t("name.shortened", n=MAX_NAME))


async def on_name_typed(turn: Turn, text: str) -> None:
    """The name typed after a bare /name; 取消 leaves it as it was, and a question is answered as one."""
    done(turn.me)
    if cancels(text):
        await turn.reply(turn.t("name.kept"))
        return
    if len(text.strip()) > MAX_NAME or any(mark in text for mark in "?？"):
        await as_question(turn, text)
        return
    await _set_name(turn, text.strip())
    await turn.reply(_current_name(turn))


@handles
async def grouprank_command(turn: Turn) -> None:
    """In a class group: the last quiz round's table; `/grouprank <campaign>` by a class teacher shows the
    boards of their classes for that campaign."""
    args = turn.args()[:4]
    grade_class = next((parsed for a in args if (parsed := typed_class(a)) is not None), None)
    wanted = " ".join(a for a in args if typed_class(a) is None)
    if args:  # a campaign, by its id or a word of its title as /stats takes it (宪法宣传周); a class, 5-1
        scope = await turn.services.access.require(turn.session, turn.user_id)
        campaign = turn.services.campaigns.current(wanted[:40] or None)
        boards = await turn.services.campaigns.class_boards(turn.session, campaign, scope, grade_class)
        if len(boards) > 1:  # a teacher of 5-1 and 5-2 had posted both boards in 5-1's group
            classes = "、".join(views.class_of(turn, *key) for key, _ in boards)
            example = f"/grouprank {wanted or campaign.id} {boards[0][0][1]}-{boards[0][0][2]}"
            await turn.reply(turn.t("rank.board_which", classes=classes, example=example))
            return
        lines = [f"🏆 {campaign.title_in(turn.language)}"]
        for (school_id, grade, number), board in boards:
            lines += [views.class_of(turn, school_id, grade, number)]
            lines += views.board_lines(turn, board) or [turn.t("rank.board_empty")]
        await turn.reply("\n".join(lines) if len(lines) > 1 else turn.t("rank.board_no_class"))
        return
    table = await turn.services.group_quiz.last_table(turn.session, chat_id=turn.chat_id)
    # 本群没有正在进行的答题 had answered a request for results, as if a round were the question
    await turn.reply(table_text(turn, table) if table else turn.t("group.no_results"))


@handles
async def names_command(turn: Turn) -> None:
    """`/names`: an admin's list of the names chosen in their scope, each with a button that clears it."""
    chosen = await turn.services.names.chosen(turn.session, turn.user_id)
    await turn.reply(views.names_text(turn, chosen), keyboards.clear_names(turn.t, chosen))


@handles
async def clear_name_button(turn: Turn) -> None:
    match callbacks.parse(turn.data):
        case ClearName(user_id):
            language = await turn.services.names.clear(turn.session, turn.user_id, user_id)
            # the pupil is told (a last pass: the name came back at once, its owner never knowing why)
            told = Speaker(turn.services, language).t("names.told")
            bot = turn.context.bot
            turn.later(lambda: send_text(bot, user_id, told))
            chosen = await turn.services.names.chosen(turn.session, turn.user_id)
            await turn.show(f"{turn.t('names.cleared')}\n{views.names_text(turn, chosen)}",
                            keyboards.clear_names(turn.t, chosen))  # fmt: skip
        case _:
            raise Refused()


HANDLERS = [
    CallbackQueryHandler(rank_button, pattern=callbacks.kinds(CampaignRank)),
    CallbackQueryHandler(clear_name_button, pattern=callbacks.kinds(ClearName)),
]
FEATURES = {"rank": Feature(show_rank)}
AWAITING = {"name": on_name_typed}

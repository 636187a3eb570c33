"""/groupquiz and /stopquiz in class groups: rounds of native quiz polls, scored from poll answers."""

from __future__ import annotations

from telegram.constants import ChatMemberStatus
from telegram.ext import ChatMemberHandler, MessageHandler, PollAnswerHandler, filters

from bot.handlers.base import Turn, handles
from bot.handlers.sender import PollPoster
from bot.parsing import whole_number
from bot.services.errors import Refused
from bot.services.group_quiz import DEFAULT_SIZE
from bot.views.group_quiz import table_text

ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def _is_group_admin(turn: Turn) -> bool:
    """As Telegram says now: the group's admins are its own, not the bot's. An admin who posts anonymously
    (as the group itself: `sender_chat` is the group) is one."""
    message = turn.update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == turn.chat_id:
        return True
    member = await turn.context.bot.get_chat_member(turn.chat_id, turn.user_id)
    return member.status in ADMINS


def _parse(turn: Turn) -> tuple[str | None, int]:
    """`/groupquiz [law] [count]`: a law name anywhere, a count of questions anywhere."""
    law, size = None, DEFAULT_SIZE
    words = []
    for arg in turn.args()[:4]:
        # any count is a count (the service says which are allowed): 100 had been read as a law's name,
        # and 0 ignored for the default
        number = whole_number(arg, 0, 10_000)
        if number is not None:
            size = number
        else:
            words.append(arg)
    if words:
        found = turn.services.content.laws.resolve(" ".join(words)[:30])
        if found is None:
            raise Refused("group.unknown_law")
        law = found.slug
    return law, size


@handles
async def groupquiz(turn: Turn) -> None:
    if not await _is_group_admin(turn):
        await turn.reply(turn.t("group.admins_only"))
        return
    law, size = _parse(turn)
    round_ = await turn.services.group_quiz.start(turn.session, chat_id=turn.chat_id, started_by=turn.user_id,
                                                  law=law, size=size)  # fmt: skip
    await turn.reply(turn.t("group.starting", n=size, seconds=round_.open_period))
    round_id, services, poster = round_.id, turn.services, PollPoster(turn.context.bot, turn)
    turn.later(lambda: services.group_quiz.advance(services.db, round_id, poster))


@handles
async def stopquiz(turn: Turn) -> None:
    if not await _is_group_admin(turn):
        await turn.reply(turn.t("group.admins_only"))
        return
    table = await turn.services.group_quiz.stop(turn.session, chat_id=turn.chat_id)
    await turn.reply(table_text(turn, table) if table else turn.t("group.none_running"))


@handles
async def poll_answer(turn: Turn) -> None:
    answer = turn.update.poll_answer
    if answer is None or answer.user is None:
        return  # anonymous votes (voter_chat) cannot be scored
    await turn.services.group_quiz.record_answer(turn.session, poll_id=answer.poll_id, user_id=answer.user.id,
                                                 first_name=answer.user.first_name, option_ids=list(answer.option_ids))  # fmt: skip


@handles
async def migrated(turn: Turn) -> None:
    """A group upgraded to a supergroup: Telegram says so in the old chat (migrate_to_chat_id) and in the new
    one (migrate_from_chat_id); either moves the group's rounds to the new id."""
    message = turn.update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    await turn.services.group_quiz.moved(turn.session, old_chat_id=old, new_chat_id=new)


@handles
async def removed(turn: Turn) -> None:
    """The bot removed from a group: the group's round under way ends there, without its table (nobody could
    read it). Its polls had gone on failing, and when the bot was added back the round went on from where it
    was (第 3/5 题 out of nowhere), and /groupquiz was refused as one was running."""
    change = turn.update.my_chat_member
    if change is None or change.new_chat_member.status not in (
        ChatMemberStatus.LEFT,
        ChatMemberStatus.BANNED,
    ):
        return
    await turn.services.group_quiz.stop(turn.session, chat_id=turn.chat_id)


HANDLERS = [
    PollAnswerHandler(poll_answer),
    MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
    ChatMemberHandler(removed, ChatMemberHandler.MY_CHAT_MEMBER),
]

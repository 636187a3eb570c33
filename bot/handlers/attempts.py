"""Shared by the areas that start an attempt (quiz, campaign's reading): an attempt under way is offered to carry on
or give up, never dropped without a word; an option typed instead of pressed shows its question again."""

from __future__ import annotations

import re

from bot.domain import AttemptMode
from bot.handlers.base import Turn
from bot.views import quiz as views


async def offer_open_attempt(turn: Turn, below: bool = False, unless: AttemptMode | None = None,
                             campaign: str | None = None) -> bool:  # fmt: skip
    """Whether the user has an attempt under way, which is then offered to carry on or give up (a
    campaign's exam says that giving it up spends one of its attempts); `below`: in a new message, not in
    place of the one whose button was pressed (an old one, maybe far up the chat); `unless`: an attempt of this
    mode is none here: what is about to start replaces it (a reading's one question); `campaign`: an
    attempt of this campaign is none either: starting its exam again carries it on."""
    found = await turn.services.quiz.open_attempt(turn.session, turn.me)
    if found is None or (unless is not None and found[0].mode == unless.value):
        return False
    if campaign is not None and found[0].campaign_id == campaign:
        return False
    await (turn.reply if below else turn.show)(*views.open_attempt_message(turn, *found))
    return True


# a letter or a multiple choice's letters (BCEF), an option's number, 对 / 错 (a teacher's pass typed BCEF in
# the exam and got 这个问题我还答不上来, 1 and got 没看明白你的意思)
TYPED_OPTION = re.compile(r"[A-Fa-fＡ-Ｆａ-ｆ]{1,6}|[1-6１-６]|[对錯错√×✓✗]|正确|错误")
# … and, from a pupils' pass, words for going on (继续 had got 民法典's articles on leases) and a message of
# emoji or punctuation alone (😭 had got 没看明白你的意思)
GOING_ON = re.compile(r"继续(?:答题|答|做)?|下一题|下一个|接着(?:答|做)|开始答题|[^\w]+")


async def typed_option(turn: Turn, text: str) -> bool:
    """An option typed (B, 对), 继续, or emoji alone while a quiz is under way, in a private chat: said to
    press the option's button, and the question shown again (it had been answered 我能看懂文字提问 and
    scrolled away). Whether it was one."""
    typed = text.strip()
    if not turn.private or not (TYPED_OPTION.fullmatch(typed) or GOING_ON.fullmatch(typed)):
        return False
    found = await turn.services.quiz.open_attempt(turn.session, turn.me)
    if found is None:
        return False
    await turn.reply(turn.t("quiz.press_the_option"))
    await turn.reply(
        *views.question_message(turn, await turn.services.quiz.current(turn.session, turn.me, found[0].id))
    )
    return True

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
# the exam and got 这个问题我还答不上来, 1 and got 没看明白你的意思; A C, spaced, got an English reply), said with
# 选 or 答案是 or not (a pupils' pass: 选A and 我选C got 这个问题我还答不上来, and were kept as questions)
TYPED_OPTION = re.compile(
    r"(?:我(?:要)?选(?:择)?|选(?:择)?|答案(?:是|选)?|我的答案是)?[\s:：]*"
    r"(?:[A-Fa-fＡ-Ｆａ-ｆ](?:[\s,，、和]*[A-Fa-fＡ-Ｆａ-ｆ]){0,5}|[1-6１-６]|[对錯错√×✓✗]|正确|错误)"
    r"(?:项|吧)?[。.！!]*"
)
# … and, from a pupils' pass, words for going on (继续 had got 民法典's articles on leases) and a message of
# emoji or punctuation alone (😭 had got 没看明白你的意思)
GOING_ON = re.compile(r"继续(?:答题|答|做)?|下一题|下一个|接着(?:答|做)|开始答题|提交|[^\w]+")
# … and, from a teachers' pass, words for handing in or stopping (交卷, 我不想考了 had got 这个问题我还答不上来):
# answered with the attempt's card, 继续 or give it up
STOPPING = re.compile(
    r"(?:我要|我想|我|怎么|现在)?(?:交卷|不想考了|不考了|不想答了|不答了|不想做了|不做了|放弃|退出|结束)(?:考试|答题|这场考试)?"
    r"(?:了|吗|呢)?[。！!？?]*"
)


async def typed_option(turn: Turn, text: str) -> bool:
    """An option typed (B, 对), 继续, or emoji alone while a quiz is under way, in a private chat: said to
    press the option's button, and the question shown again (it had been answered 我能看懂文字提问 and
    scrolled away); 交卷 or 不想考了: the attempt's card, to carry on or give up. Whether it was one."""
    typed = text.strip()
    if turn.private and STOPPING.fullmatch(typed):
        return await offer_open_attempt(turn, below=True)
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

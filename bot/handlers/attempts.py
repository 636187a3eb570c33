"""Shared by the areas that start an attempt (quiz, campaign's reading): an attempt under way is offered to carry on
or give up, never dropped without a word; an answer's result shown, pressed or typed; text typed while a quiz is
under way: an option typed instead of pressed (B, ACD, 对) answers the question on screen; 继续, emoji alone or an
option the question has not shows that question again with how to answer; 交卷 or 不想考了 the attempt's card."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from bot.content.questions import JUDGE_OPTIONS, QType
from bot.domain import AttemptMode
from bot.handlers.awaiting import cancels
from bot.handlers.base import Turn
from bot.keyboards.quiz import LETTERS
from bot.services.quiz.types import AnswerResult, QuestionView
from bot.views import quiz as views

if TYPE_CHECKING:
    from bot.db.models import Attempt


async def offer_open_attempt(turn: Turn, below: bool = False, unless: AttemptMode | None = None,
                             campaign: str | None = None, then: str | None = None) -> bool:  # fmt: skip
    """Whether the user has an attempt under way, which is then offered to carry on or give up (a
    campaign's exam says that giving it up spends one of its attempts); `below`: in a new message, not in
    place of the one whose button was pressed (an old one, maybe far up the chat); `unless`: an attempt of this
    mode is none here: what is about to start replaces it (a reading's one question); `campaign`: an
    attempt of this campaign is none either: starting its exam again carries it on; `then`: what was asked
    (callbacks.QuizRestartFor), which dropping the attempt goes on to."""
    found = await turn.services.quiz.open_attempt(turn.session, turn.me)
    if found is not None and await closed_overdue(turn, found[0]):
        found = None
    if found is None or (unless is not None and found[0].mode == unless.value):
        return False
    if campaign is not None and found[0].campaign_id == campaign:
        return False
    await (turn.reply if below else turn.show)(*views.open_attempt_message(turn, *found, then=then))
    return True


async def closed_overdue(turn: Turn, attempt: Attempt) -> bool:
    """Whether the open `attempt` was one whose time had run out (while the bot was down, seconds before the
    expiry job comes round), now closed, its result shown: not 继续 (a review had seen a mock exam offered to
    carry on, then 时间到 as it was carried on)."""
    if not AttemptMode(attempt.mode).timed:
        return False
    summaries = await turn.services.quiz.expire_due(turn.session, turn.me)
    for summary in summaries:
        await turn.reply(*views.summary_message(turn, summary))
    return bool(summaries)


async def render_result(turn: Turn, result: AnswerResult) -> None:
    """What an answer brings, pressed or typed: feedback (an exam's 已作答) in place of the question, then the
    summary or the next question; a repeat a short notice (with, a while after the answer, what it had
    brought: practice's feedback, an exam's current question, in case Telegram lost them)."""
    if result.duplicate:
        await turn.alert(turn.t("quiz.already_answered"), popup=False)
        if result.feedback is not None:  # practice: the feedback again, with its 下一题
            await turn.show(*views.feedback_message(turn, result.feedback, last=False))
        if result.current is not None:  # where the attempt is now, in case its first showing was lost
            await turn.reply(*views.question_message(turn, result.current))
        return
    feedback = result.feedback
    if feedback is not None:
        if feedback.view.mode is AttemptMode.exam:
            await turn.show(views.answered_message(turn, feedback.view))
        else:
            await turn.show(*views.feedback_message(turn, feedback, last=result.summary is not None))
    if result.summary is not None:
        await turn.reply(*views.summary_message(turn, result.summary))
    elif result.next is not None:
        await turn.reply(*views.question_message(turn, result.next))


# a letter or a multiple choice's letters (BCEF), an option's number, 对 / 错 (a teacher's pass typed BCEF in
# the exam and got 这个问题我还答不上来, 1 and got 没看明白你的意思; A C, spaced, got an English reply), said with
# 选 or 答案是 or not (a pupils' pass: 选A and 我选C got 这个问题我还答不上来, and were kept as questions)
# Letters run together only in capitals (ACD): in lower case they are words (bad, face, dad had been taken for
# B+A+D at a multiple choice: a review); spaced or parted (a c, b、d) or alone (b) in either case.
TYPED_OPTION = re.compile(
    r"(?:我(?:要)?选(?:择)?|选(?:择)?|答案(?:是|选)?|我的答案是)?[\s:：]*"
    r"(?P<picked>[A-FＡ-Ｆ]{1,6}|[A-Fa-fＡ-Ｆａ-ｆ](?:[\s,，、和]+[A-Fa-fＡ-Ｆａ-ｆ]){0,5}|[1-6１-６]"
    r"|[对錯错√×✓✗]|正确|错误|(?i:true|false))"
    r"(?:项|吧)?[。.！!]*"
)
# … and, from a pupils' pass, words for going on (继续 had got 民法典's articles on leases) and a message of
# emoji or punctuation alone (😭 had got 没看明白你的意思)
# … and (another) not knowing or skipping (不知道, idk had got the fallback about laws and enrollment)
GOING_ON = re.compile(
    r"继续(?:答题|答|做)?|下一题|下一个|接着(?:答|做)|开始答题|提交|不知道|不会|不懂|跳过|skip|idk|i don'?t know|next"
    r"|submit|continue|go on|[^\w]+",
    re.IGNORECASE,
)
# … and, from a teachers' pass, words for handing in or stopping (交卷, 我不想考了 had got 这个问题我还答不上来):
# answered with the attempt's card, 继续 or give it up
STOPPING = re.compile(
    r"(?:我要|我想|我|怎么|现在)?(?:交卷|不想考了|不考了|不想答了|不答了|不想做了|不做了|放弃|退出|结束)(?:考试|答题|这场考试)?"
    r"(?:了|吗|呢)?[。！!？?]*"
)
# … and the same in English, and the words that leave a prompt (取消, stop, cancel), which during a quiz had
# been told 现在没有进行中的操作 / "Nothing is under way" (an English teacher's pass: stop, I want to quit, give up
# mid-exam had got that, 我能看懂文字提问's English, or the fallback about laws and enrollment)
STOPPING_EN = re.compile(
    r"(?:(?:i\s*)?(?:want|wanna|would\s+like|'?d\s+like)\s+to\s+|let\s+me\s+|can\s+i\s+|please\s+)?"
    r"(?:stop|quit|give\s+up|hand\s+in|finish|end|exit|leave|cancel|abort)"
    r"(?:\s+(?:the|this|my))?(?:\s+(?:exam|test|quiz|attempt|it|now))*(?:\s+please)?\s*[.!?]*",
    re.IGNORECASE,
)
TRUE_WORDS = frozenset({"对", "√", "✓", "正确", "TRUE"})
FALSE_WORDS = frozenset({"错", "錯", "×", "✗", "错误", "FALSE"})


def typed_picks(picked: str, view: QuestionView) -> frozenset[int] | None:
    """The displayed options that `picked` (TYPED_OPTION's part) names on this question: one letter or
    number for a single choice, two letters or more for a multiple choice, 对 / 错 for true or false; None
    when it names no answer to this question (a letter it has not, 对 for a choice, B for a multiple one)."""
    said = unicodedata.normalize("NFKC", picked).upper()
    kind = view.question.type
    if said in TRUE_WORDS | FALSE_WORDS:
        meant = JUDGE_OPTIONS[0] if said in TRUE_WORDS else JUDGE_OPTIONS[1]
        return frozenset({view.options.index(meant)}) if kind is QType.judge else None
    if kind is QType.judge:
        return None
    picks = frozenset({int(said) - 1} if said.isdigit() else {LETTERS.index(c) for c in said if c in LETTERS})
    if any(i >= len(view.options) for i in picks):
        return None
    if kind is QType.single:
        return picks if len(picks) == 1 else None
    return picks if len(picks) >= 2 and not said.isdigit() else None


async def during_quiz(turn: Turn, text: str) -> bool:
    """Whether `text` was taken as what the user typed for the quiz under way (and answered so)."""
    typed = text.strip()
    if not turn.private:
        return False
    if STOPPING.fullmatch(typed) or STOPPING_EN.fullmatch(typed) or cancels(typed):
        found = await turn.services.quiz.open_attempt(turn.session, turn.me)
        if found is not None and await closed_overdue(turn, found[0]):
            return True  # 交卷 when the time had run out: the result answers it (it had then been read as a question)
        return await offer_open_attempt(turn, below=True)
    option = TYPED_OPTION.fullmatch(typed)
    if option is None and not GOING_ON.fullmatch(typed):
        return False
    engine = turn.services.quiz
    found = await engine.open_attempt(turn.session, turn.me)
    if found is None:
        return False
    on_screen = await engine.awaiting(turn.session, found[0]) if option else None
    picks = typed_picks(option["picked"], on_screen) if option and on_screen else None
    if on_screen is not None and picks is not None:
        await render_result(turn, await engine.answer(turn.session, turn.user_id, on_screen.ref, picks))
        return True
    # the question shown again (it had been answered 我能看懂文字提问 and scrolled away), under how to answer
    await turn.reply(turn.t("quiz.press_the_option"))
    await turn.reply(*views.question_message(turn, await engine.current(turn.session, turn.me, found[0].id)))
    return True

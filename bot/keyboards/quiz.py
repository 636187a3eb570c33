"""Quiz: choosing a law and a mode, a question's answer buttons, what follows feedback and the result."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import (
    Answer,
    CampaignRank,
    Certificate,
    NextQuestion,
    OpenCampaign,
    QuizAgain,
    QuizArticle,
    QuizGiveUp,
    QuizGiveUpFor,
    QuizGo,
    QuizLaw,
    QuizMenu,
    QuizRestart,
    QuizRestartFor,
    QuizResume,
    QuizReview,
    QuizScores,
    ShowArticle,
    Submit,
    Tick,
)
from bot.content.questions import JUDGE_OPTIONS, QType, Question
from bot.domain import AttemptMode
from bot.keyboards import T, button, rows, single
from bot.services.quiz.engine import EXAM_LENGTH, LENGTHS
from bot.services.quiz.types import QuestionRef, Summary

LETTERS = "ABCDEF"


def pack_picks(picks: frozenset[int]) -> str:
    return "".join(str(i) for i in sorted(picks)) or "-"


def unpack_picks(text: str) -> frozenset[int] | None:
    """The ticks a button carries; None for anything that is not distinct option digits."""
    if text == "-":
        return frozenset()
    if not text.isascii() or not text.isdigit() or len(set(text)) != len(text):
        return None
    return frozenset(int(c) for c in text)


def question(t: T, ref: QuestionRef, q: Question, picks: frozenset[int]) -> Markup:
    """Buttons carry what they claim (attempt, position, question, option order): the engine checks it
    against the database. A tick button carries the ticks it would leave, so a double tap ticks once."""
    at = (ref.attempt_id, ref.position, ref.question_id, ref.order)
    if q.type is QType.judge:
        return Markup(
            [[button(judge_word(t, q.choices[o]), Answer(*at, i)) for i, o in enumerate(ref.indices)]]
        )
    if q.type is QType.single:
        return Markup(rows([button(LETTERS[i], Answer(*at, i)) for i in range(len(q.choices))], 4))
    ticks = [button(("✓ " if i in picks else "") + LETTERS[i], Tick(*at, pack_picks(picks ^ {i})))
             for i in range(len(q.choices))]  # fmt: skip
    return Markup([*rows(ticks, 4), [button(t("quiz.submit"), Submit(*at, pack_picks(picks)))]])


def judge_word(t: T, choice: str) -> str:
    """对 / 错 as the user's language says them (True / False)."""
    return t("quiz.judge_true") if choice == JUDGE_OPTIONS[0] else t("quiz.judge_false")


def after_feedback(
    t: T, articles: Sequence[tuple[str, int, str]], next_at: tuple[int, int] | None
) -> Markup | None:
    """The cited articles (law, number, label) not shown in the feedback, and 下一题 when the attempt goes
    on at `next_at`; then an article comes with a 下一题 of its own, so nobody scrolls back up for it."""
    originals = [
        button(
            t("quiz.original", label=label), QuizArticle(law, n, *next_at) if next_at else ShowArticle(law, n)
        )
        for law, n, label in articles
    ]
    keyboard = rows(originals, 3)
    if next_at is not None:
        keyboard.append([button(t("quiz.next"), NextQuestion(*next_at))])
    return Markup(keyboard) if keyboard else None


def next_only(t: T, attempt_id: int, position: int) -> Markup:
    return single(t("quiz.next"), NextQuestion(attempt_id, position))


def after_result(t: T, summary: Summary) -> Markup:
    if summary.campaign_id:
        keyboard = [button(t("campaign.rank"), CampaignRank(summary.campaign_id))]
        if summary.counts_as_passed:
            keyboard.append(button(t("campaign.certificate"), Certificate(summary.campaign_id)))
        elif summary.attempts_left:  # 还可以再参加 1 次 had come with 我的排名 alone (a teachers' pass)
            keyboard.insert(0, button(t("campaign.try_again"), OpenCampaign(summary.campaign_id)))
        return Markup([keyboard])
    if summary.mode is AttemptMode.reading:  # more questions are the practice's
        return Markup([[button(t("menu.quiz"), QuizMenu())]])
    return Markup([[button(t("quiz.again"), again(summary)), button(t("menu.scores"), QuizScores())]])


def again(summary: Summary) -> QuizAgain | QuizMenu:
    """再来一次: the same law, mode and length; the law list for what cannot be repeated as it was (a redo of
    the mistake book, a single reading question)."""
    law = summary.law or "all"
    if summary.mode is AttemptMode.practice and summary.total in LENGTHS:
        return QuizAgain(law, "practice", summary.total)
    if summary.mode is AttemptMode.exam:
        return QuizAgain(law, "exam", EXAM_LENGTH)
    if summary.mode is AttemptMode.challenge:
        return QuizAgain(law, "challenge", 0)
    return QuizMenu()


def laws(t: T, choices: Sequence[tuple[str, str, int]]) -> Markup:
    """(slug, name, number of questions) per law, and 综合 (all laws) first."""
    buttons = [button(t("quiz.law_button", law=name, n=n), QuizLaw(slug)) for slug, name, n in choices]
    return Markup([[button(t("quiz.mixed"), QuizLaw("all"))], *rows(buttons, 2)])


def modes(t: T, law: str, exam_minutes: int, exam_length: int) -> Markup:
    return Markup([
        [button(t("quiz.practice_n", n=n), QuizGo(law, "practice", n)) for n in LENGTHS],
        [button(t("quiz.exam_button", minutes=exam_minutes), QuizGo(law, "exam", exam_length))],
        [button(t("quiz.challenge_button"), QuizGo(law, "challenge", 0))],
        [button(t("nav.back"), QuizMenu())],
    ])  # fmt: skip


def resume(
    t: T, attempt_id: int, position: int = 0, give_up: bool = False, then: str | None = None
) -> Markup:
    """Carry on with the attempt, or drop it and choose anew (`give_up`: a campaign's exam, whose button says
    so and asks to confirm first); `position`: the questions answered as the card is shown; `then`: what was
    asked when the card came, which dropping the attempt goes on to (QuizRestartFor)."""
    drop = (
        button(
            t("quiz.give_up_exam"),
            QuizGiveUp(attempt_id) if then is None else QuizGiveUpFor(attempt_id, then),
        )
        if give_up
        else button(t("quiz.restart"), _restart(attempt_id, position, then))
    )
    return Markup([[button(t("quiz.resume"), QuizResume(attempt_id)), drop]])


def confirm_give_up(t: T, attempt_id: int, position: int, then: str | None = None) -> Markup:
    """The exam given up for good, or carried on."""
    return Markup(
        [
            [button(t("quiz.give_up_confirmed"), _restart(attempt_id, position, then))],
            [button(t("quiz.resume"), QuizResume(attempt_id))],
        ]
    )


def _restart(attempt_id: int, position: int, then: str | None) -> QuizRestart:
    return QuizRestart(attempt_id, position) if then is None else QuizRestartFor(attempt_id, position, then)


def redo_mistakes(t: T) -> Markup:
    return single(t("mistakes.redo"), QuizReview())

"""/quiz, /mistakes, /scores and the quiz's buttons: choosing a law and mode, answering, moving on."""

from __future__ import annotations

from telegram import Message
from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import (
    REDO_MISTAKES,
    Answer,
    NextQuestion,
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
    Submit,
    Tick,
)
from bot.domain import AttemptMode
from bot.handlers.attempts import offer_open_attempt, render_result
from bot.handlers.base import Turn, handles, handles_without_user
from bot.handlers.onboarding import Feature, require_registration
from bot.keyboards import quiz as keyboards
from bot.services.errors import Refused
from bot.services.quiz.types import QuestionRef, QuestionView
from bot.views import quiz as views

MODES = {m.value: m for m in (AttemptMode.practice, AttemptMode.exam, AttemptMode.challenge)}


async def send_question(turn: Turn, view: QuestionView) -> None:
    await turn.reply(*views.question_message(turn, view))


async def show_menu(turn: Turn) -> None:
    engine = turn.services.quiz
    if not await offer_open_attempt(turn):
        await turn.show(*views.laws_menu(turn, engine.laws_for(turn.me)))


@handles
async def quiz_command(turn: Turn) -> None:
    """/quiz, or /quiz 教师法: the law's ways to practise (a teachers' pass: the argument was ignored, every law
    listed); a name no law has, or a law with no questions, lists them all."""
    if not await require_registration(turn, then="quiz"):
        return
    named = " ".join(turn.args()[:3])
    law = turn.services.content.laws.resolve(named) if named else None
    if law is None or law.slug not in turn.services.content.questions.by_law:
        await show_menu(turn)
    elif not await offer_open_attempt(
        turn, then=law.slug
    ):  # a quiz under way is offered first, as /quiz does
        await turn.show(*views.modes_menu(turn, law.slug))


@handles
async def quiz_menu_button(turn: Turn) -> None:
    if not await require_registration(turn, then="quiz"):
        return
    engine, user = turn.services.quiz, turn.me
    match callbacks.parse(turn.data):
        case QuizMenu():
            await show_menu(turn)
        case QuizLaw(law) if law == "all" or law in turn.services.content.questions.by_law:
            await turn.show(*views.modes_menu(turn, law))
        case QuizGo(law, mode, length) as go if mode in MODES and (
            law == "all" or law in turn.services.content.questions.by_law
        ):
            if await offer_open_attempt(
                turn, below=True, then=law
            ):  # an old button: never drop a quiz silently
                return
            chosen = None if law == "all" else law
            view = await engine.start(turn.session, user, law=chosen, mode=MODES[mode], length=length)
            # the law chosen, not the first question's (综合 draws from every law)
            starting = turn.t("quiz.starting", law=views.law_name(turn.services.content.laws, chosen, turn))
            # 再来一次 leaves the result it was under on screen; the mode menu gives way
            await (turn.reply if isinstance(go, QuizAgain) else turn.show)(starting)
            await send_question(turn, view)
        case QuizResume(attempt_id):
            await turn.edit_markup(
                []
            )  # the card's 重新开始 must not stay to be tapped later, far up the chat
            await send_question(turn, await engine.current(turn.session, user, attempt_id))
        case QuizGiveUp(attempt_id) as pressed:
            found = await engine.open_attempt(turn.session, user, locked=True)
            if found is None or found[0].id != attempt_id:  # over already, or a forged id: where things are
                await show_menu(turn)
            elif found[0].campaign_id is not None:  # it spends one of the campaign's attempts: sure?
                await turn.show(*views.give_up_question(turn, *found, then=_then(pressed)))
            else:  # a practice mock exam costs nothing
                await give_up(turn, _then(pressed))
        case QuizRestart(attempt_id, position) as pressed:
            # locked: a second tap at once had found the attempt the first dropped, nothing left to drop, and
            # gone on all the same (重做错题's card: a second review, dropping the first)
            found = await engine.open_attempt(turn.session, user, locked=True)
            if found is None or (found[0].id, found[1]) != (attempt_id, position):  # an old card's: where
                await show_menu(turn)  # things are, nothing dropped
            else:
                await give_up(turn, _then(pressed))
        case QuizReview():
            # 重做错题 had dropped a quiz under way silently; 重新开始 on the card then redoes the mistakes
            if await offer_open_attempt(turn, below=True, then=REDO_MISTAKES):
                return
            await send_question(turn, await engine.start_review(turn.session, user))
        case QuizScores():
            await show_scores(turn)
        case _:
            raise Refused()


def _then(pressed: QuizRestart | QuizGiveUp) -> str | None:
    return pressed.then if isinstance(pressed, QuizRestartFor | QuizGiveUpFor) else None


async def give_up(turn: Turn, then: str | None = None) -> None:
    """The attempt under way dropped, and the quiz menu, or what was asked when the card came (`then`); an
    exam's giving up said in place of the question that offered it (the menu had come without a word)."""
    engine = turn.services.quiz
    if (given_up := await engine.abandon(turn.session, turn.me)) is None:
        await (show_menu(turn) if then is None else _go_on(turn, then, below=False))
    else:
        await turn.show(views.gave_up_text(turn, given_up))
        if then is not None:
            await _go_on(turn, then, below=True)
        elif given_up.campaign is None:  # a practice mock exam: the practice menu; a campaign's ends there
            await turn.reply(
                *views.laws_menu(turn, engine.laws_for(turn.me))
            )  # (the law picker came unasked)


async def _go_on(turn: Turn, then: str, below: bool) -> None:
    """What was asked when an attempt under way was in the way: redoing the mistakes, or a law's ways to
    practise (`below`: in a new message, the card's place taken by what was said of the attempt)."""
    if then == REDO_MISTAKES:
        if not (await turn.services.quiz.mistakes(turn.session, turn.me)).questions:  # emptied meanwhile
            await (turn.reply if below else turn.show)(turn.t("mistakes.empty"))
        else:
            await send_question(turn, await turn.services.quiz.start_review(turn.session, turn.me))
    elif then == "all" or then in turn.services.content.questions.by_law:
        await (turn.reply if below else turn.show)(*views.modes_menu(turn, then))
    else:  # a forged or withdrawn law: the menu
        await show_menu(turn)


@handles_without_user
async def answer_button(turn: Turn) -> None:
    """An answer or a multiple choice's submit. The hot path: the user's row is not read; the answer's own
    statement brings their language."""
    match callbacks.parse(turn.data):
        case Answer(attempt_id, position, question_id, order, option):
            chosen = frozenset({option})
        case Submit(attempt_id, position, question_id, order, picks) if (
            ticked := keyboards.unpack_picks(picks)
        ) is not None:
            chosen = ticked
        case _:
            raise Refused()
    ref = QuestionRef(attempt_id, position, question_id, order)
    result = await turn.services.quiz.answer(turn.session, turn.user_id, ref, chosen)
    turn.lang = result.language
    await turn.learn_language()  # when nothing was recorded
    await render_result(turn, result)


@handles
async def question_button(turn: Turn) -> None:
    """A multiple choice's box ticked, 原文 under feedback, or 下一题."""
    engine = turn.services.quiz
    match callbacks.parse(turn.data):
        case Tick(attempt_id, position, question_id, order, picks) if (
            ticked := keyboards.unpack_picks(picks)
        ) is not None:
            ref = QuestionRef(attempt_id, position, question_id, order)
            question = engine.check_picks(ref, ticked)
            await turn.edit_markup(keyboards.question(turn.t, ref, question, ticked).inline_keyboard)
        case QuizArticle(law, number, attempt_id, position) if (
            article := turn.services.content.laws.article(law, number)
        ) is not None:
            for text, markup in views.article_with_next(turn, article, attempt_id, position):
                await turn.reply(text, markup)
        case NextQuestion(attempt_id, position):
            view = await engine.next_question(turn.session, turn.me, attempt_id, position)
            if view is not None:
                await send_question(turn, view)
                await _drop_next_button(turn)
        case _:
            raise Refused()


async def _drop_next_button(turn: Turn) -> None:
    """After 下一题 the feedback keeps its 原文 buttons; only the 下一题 row goes, once the question it sent has
    arrived (one Telegram lost leaves it, to be pressed again: a robustness pass had found no button left)."""
    message = turn.query.message if turn.query else None
    if isinstance(message, Message) and message.reply_markup is not None:
        keep = [row for row in message.reply_markup.inline_keyboard
                if not any(isinstance(callbacks.parse(b.callback_data), NextQuestion) for b in row)]  # fmt: skip
        await turn.edit_markup(keep, if_delivered=True)


@handles
async def mistakes_command(turn: Turn) -> None:
    if await require_registration(turn, then="mistakes"):
        await show_mistakes(turn)


async def show_mistakes(turn: Turn) -> None:
    book = await turn.services.quiz.mistakes(turn.session, turn.me)
    later = "\n\n" + turn.t("mistakes.held_back") if book.held_back else ""
    if not book.questions:
        await turn.reply(turn.t("mistakes.none_yet" if book.held_back else "mistakes.empty") + later)
        return
    await turn.reply(views.mistakes_text(turn, book.questions) + later, keyboards.redo_mistakes(turn.t))


@handles
async def scores_command(turn: Turn) -> None:
    if await require_registration(turn, then="scores"):
        await show_scores(turn)


async def show_scores(turn: Turn) -> None:
    engine = turn.services.quiz
    recent, best = await engine.scores(turn.session, turn.me)
    if recent:
        await turn.reply(views.scores_text(turn, recent, best))
    else:  # a quiz under way had been told 还没有答题记录, as if its answers were lost
        under_way = await engine.open_attempt(turn.session, turn.me) is not None
        await turn.reply(turn.t("scores.none_open" if under_way else "scores.none"))


QUIZ_MENU = (
    QuizMenu,
    QuizLaw,
    QuizGo,
    QuizAgain,
    QuizResume,
    QuizRestart,
    QuizGiveUp,
    QuizReview,
    QuizScores,
)
HANDLERS = [
    CallbackQueryHandler(quiz_menu_button, pattern=callbacks.kinds(*QUIZ_MENU)),
    CallbackQueryHandler(answer_button, pattern=callbacks.kinds(Answer, Submit)),
    CallbackQueryHandler(question_button, pattern=callbacks.kinds(Tick, NextQuestion, QuizArticle)),
]
FEATURES = {"quiz": Feature(show_menu), "scores": Feature(show_scores), "mistakes": Feature(show_mistakes)}

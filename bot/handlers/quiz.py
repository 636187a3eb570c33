"""/quiz, /mistakes, /scores and the buttons of quiz messages (private chat)."""

from __future__ import annotations

import logging

from telegram import Message
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import keyboards
from bot.domain import AttemptMode
from bot.handlers.base import Turn, handles, handles_without_user
from bot.handlers.onboarding import Feature, require_registration
from bot.keyboards import parse_data, parse_int
from bot.services.errors import Refused
from bot.services.quiz import AnswerResult, QuestionRef, QuestionView
from bot.views import quiz as views

log = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE
MODES = {m.value: m for m in (AttemptMode.practice, AttemptMode.exam, AttemptMode.challenge)}


async def send_question(turn: Turn, view: QuestionView) -> None:
    await turn.reply(*views.question_message(turn, view))


async def show_menu(turn: Turn) -> None:
    user = turn.user
    assert user is not None
    engine = turn.services.quiz
    found = await engine.open_attempt(turn.session, user)
    if found is not None:
        attempt, position = found
        await turn.show(turn.t("quiz.open_attempt", n=position + 1, total=attempt.total),
                        views.resume_menu(turn, attempt.id))  # fmt: skip
        return
    await turn.show(turn.t("quiz.choose_law"), views.laws_menu(turn, engine.laws_for(user)))


@handles
async def quiz_command(turn: Turn) -> None:
    if await require_registration(turn, then="quiz"):
        await show_menu(turn)


@handles
async def quiz_menu_button(turn: Turn) -> None:
    """quiz:menu | quiz:law:X | quiz:go:X:mode:n | quiz:resume:ID | quiz:restart | quiz:review | quiz:scores"""
    user, data = turn.user, (turn.query.data if turn.query else "") or ""
    assert user is not None
    if not await require_registration(turn, then="quiz"):
        return
    engine = turn.services.quiz
    if data == "quiz:menu":
        await show_menu(turn)
    elif (fields := parse_data(data, "quiz:law", 1)) is not None:
        law = _law(turn, fields[0])
        await turn.show(turn.t("quiz.choose_mode", law=views.law_name(turn.services.content.laws, law, turn)),
                        views.modes_menu(turn, fields[0]))  # fmt: skip
    elif (fields := parse_data(data, "quiz:go", 3)) is not None:
        mode, length = MODES.get(fields[1]), parse_int(fields[2], 0, 50)
        if mode is None or length is None:
            raise Refused()
        view = await engine.start(turn.session, user, law=_law(turn, fields[0]), mode=mode, length=length)
        await turn.show(
            turn.t("quiz.starting", law=views.law_name(turn.services.content.laws, view.law, turn))
        )
        await send_question(turn, view)
    elif (fields := parse_data(data, "quiz:resume", 1)) is not None:
        attempt_id = parse_int(fields[0], 1, 2**62)
        if attempt_id is None:
            raise Refused()
        await send_question(turn, await engine.current(turn.session, user, attempt_id))
    elif data == "quiz:restart":
        await engine.abandon(turn.session, user)
        await show_menu(turn)
    elif data == "quiz:review":
        await send_question(turn, await engine.start_review(turn.session, user))
    elif data == "quiz:scores":
        await show_scores(turn)
    else:
        raise Refused()


def _law(turn: Turn, value: str) -> str | None:
    if value == "all":
        return None
    if value not in turn.services.content.questions.by_law:
        raise Refused()
    return value


@handles_without_user
async def answer_button(turn: Turn) -> None:
    """q:a:REF:OPT answer | q:s:REF:PICKS submit a multiple choice, where REF is ATT:POS:QUESTION:ORDER.
    The hot path: the user's row is not read; the answer's own statement brings their language."""
    query, tg_user = turn.query, turn.update.effective_user
    assert query is not None and tg_user is not None
    data = query.data or ""
    if (f := parse_data(data, "q:a", 5)) is not None:
        option = parse_int(f[4], 0, 5)
        if option is None:
            raise Refused()
        chosen = frozenset({option})
    elif (f := parse_data(data, "q:s", 5)) is not None:
        chosen = _picks(f[4])
    else:
        raise Refused()
    result = await turn.services.quiz.answer(turn.session, tg_user.id, _ref(f), chosen)
    turn.lang = result.language
    await turn.learn_language()  # when nothing was recorded
    await render_result(turn, result)


@handles
async def question_button(turn: Turn) -> None:
    """q:t:REF:PICKS tick a multiple choice | q:n:ATT:POS next question."""
    user, query = turn.user, turn.query
    assert user is not None and query is not None
    data = query.data or ""
    engine = turn.services.quiz
    if (f := parse_data(data, "q:t", 5)) is not None:
        ref, picks = _ref(f), _picks(f[4])
        question = engine.check_picks(ref, picks)
        await turn.edit_markup(views.question_keyboard(turn, ref, question, picks).inline_keyboard)
    elif (f := parse_data(data, "q:n", 2)) is not None:
        attempt_id, position = _ints(f[0], f[1])
        view = await engine.next_question(turn.session, user, attempt_id, position)
        if view is not None:
            await _drop_keyboard_of_next(turn)
            await send_question(turn, view)
    else:
        raise Refused()


def _ref(fields: list[str]) -> QuestionRef:
    attempt_id, position = _ints(fields[0], fields[1])
    return QuestionRef(attempt_id, position, fields[2], fields[3])


def _picks(text: str) -> frozenset[int]:
    picks = views.decode_picks(text)
    if picks is None:
        raise Refused()
    return picks


def _ints(*values: str) -> tuple[int, ...]:
    parsed = tuple(parse_int(v, 0, 2**62) for v in values)
    if any(p is None for p in parsed):
        raise Refused()
    return parsed  # type: ignore[return-value]


async def _drop_keyboard_of_next(turn: Turn) -> None:
    """After 下一题 the feedback keeps its 原文 buttons; only the 下一题 row goes."""
    message = turn.query.message if turn.query else None
    if isinstance(message, Message) and message.reply_markup is not None:
        keep = [row for row in message.reply_markup.inline_keyboard if not any(
            str(b.callback_data or "").startswith("q:n:") for b in row)]  # fmt: skip
        await turn.edit_markup(keep)


async def render_result(turn: Turn, result: AnswerResult) -> None:
    if result.duplicate:
        await turn.alert(turn.t("quiz.already_answered"), popup=False)
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
        await send_question(turn, result.next)


@handles
async def mistakes_command(turn: Turn) -> None:
    if await require_registration(turn, then="mistakes"):
        await show_mistakes(turn)


async def show_mistakes(turn: Turn) -> None:
    user = turn.user
    assert user is not None
    questions = await turn.services.quiz.mistakes(turn.session, user)
    if not questions:
        await turn.reply(turn.t("mistakes.empty"))
        return
    lines = [turn.t("mistakes.title", n=len(questions))]
    lines += [f"{i}. {q.stem[:40]}" for i, q in enumerate(questions[:10], start=1)]
    await turn.reply("\n".join(lines), keyboards.single(turn.t("mistakes.redo"), "quiz:review"))


async def show_scores(turn: Turn) -> None:
    user = turn.user
    assert user is not None
    recent, best = await turn.services.quiz.scores(turn.session, user)
    if not recent:
        await turn.reply(turn.t("scores.none"))
        return
    laws, tz = turn.services.content.laws, turn.services.settings.tz
    lines = [turn.t("scores.recent")]
    for attempt in recent:
        when = attempt.finished_at.astimezone(tz).strftime("%m-%d %H:%M") if attempt.finished_at else ""
        lines.append(turn.t("scores.line", when=when, law=views.law_name(laws, attempt.law, turn),
                            mode=turn.t(f"scores.mode_{attempt.mode}"), score=attempt.score))  # fmt: skip
    lines += ["", turn.t("scores.best")]
    for law, mode, score, count in sorted(best, key=lambda b: (b[0] or "", b[1])):
        lines.append(turn.t("scores.best_line", law=views.law_name(laws, law, turn),
                            mode=turn.t(f"scores.mode_{mode}"), score=score, n=count))  # fmt: skip
    await turn.reply("\n".join(lines))


@handles
async def scores_command(turn: Turn) -> None:
    if await require_registration(turn, then="scores"):
        await show_scores(turn)


HANDLERS = [
    CommandHandler("quiz", quiz_command, filters=PRIVATE),
    CommandHandler("mistakes", mistakes_command, filters=PRIVATE),
    CommandHandler("scores", scores_command, filters=PRIVATE),
    CallbackQueryHandler(quiz_menu_button, pattern=r"^quiz:"),
    CallbackQueryHandler(answer_button, pattern=r"^q:[as]:"),
    CallbackQueryHandler(question_button, pattern=r"^q:"),
]
FEATURES = {"quiz": Feature(show_menu), "scores": Feature(show_scores), "mistakes": Feature(show_mistakes)}

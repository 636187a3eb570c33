"""Quiz messages: a question, its feedback, the end-of-attempt summary, each with its buttons
(built by bot/keyboards/quiz.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup as Markup

from bot.content.campaigns import Shows
from bot.content.laws import Article, LawLibrary
from bot.content.questions import QType, Question
from bot.domain import AttemptMode, BestScore
from bot.keyboards import quiz as keyboards
from bot.keyboards.quiz import LETTERS
from bot.services.law_lookup import TELEGRAM_LIMIT
from bot.services.quiz.engine import EXAM_LENGTH, REVIEW_LENGTH
from bot.services.quiz.types import Feedback, GivenUp, QuestionView, Summary
from bot.views import Voice
from bot.views.labels import article_label, clip
from bot.views.law import article_messages

if TYPE_CHECKING:
    from bot.db.models import Attempt

FOLD_ARTICLES = 300  # cited articles up to this many characters are shown in the feedback itself
REVIEW_SHOWN = 30  # questions listed in a review (stems are cut to 40 characters: well within 4096)


def law_name(laws: LawLibrary, slug: str | None, t: Voice) -> str:
    """《宪法》, or Constitution in English; 综合 for a quiz over all laws."""
    if slug is None:
        return t.t("quiz.mixed")
    law = laws.get(slug)
    if law is None:
        return slug
    return t.t("quiz.law_name", name=law.short_title(t.language))


def _body(turn: Voice, view: QuestionView) -> list[str]:
    question = view.question
    header = turn.t("quiz.header", n=view.position + 1, total=view.total,
                    law=law_name(turn.services.content.laws, question.law, turn))  # fmt: skip
    if view.mode is AttemptMode.challenge:
        header = turn.t("quiz.header_challenge", n=view.position + 1,
                        law=law_name(turn.services.content.laws, question.law, turn))  # fmt: skip
    lines = [header, turn.t("quiz.stem", type=turn.t("quiz.type_" + question.type.value), stem=question.stem)]
    if question.type is not QType.judge:
        lines += [f"{LETTERS[i]}. {text}" for i, text in enumerate(view.options)]
    return lines


def question_message(turn: Voice, view: QuestionView) -> tuple[str, Markup]:
    lines = _body(turn, view)
    if view.mode is AttemptMode.exam and view.deadline is not None:
        local = view.deadline.astimezone(turn.services.settings.tz)
        lines.append(turn.t("quiz.exam_deadline", time=local.strftime("%H:%M")))
    elif view.mode is AttemptMode.challenge:
        lines.append(turn.t("quiz.challenge_timer"))
    if view.question.type is QType.multiple:
        lines.append(turn.t("quiz.multiple_hint"))
    return "\n".join(lines), keyboards.question(turn.t, view.ref, view.question, frozenset())


def _answer_text(turn: Voice, view: QuestionView, indices: frozenset[int]) -> str:
    if view.question.type is QType.judge:
        return turn.t("quiz.and").join(keyboards.judge_word(turn.t, view.options[i]) for i in sorted(indices))
    if view.question.type is QType.multiple and len(indices) > 1:
        # the letters alone, the options being right above: their texts hold 、 themselves, and joined they
        # could not be told apart (a teachers' pass)
        return turn.t("quiz.and").join(LETTERS[i] for i in sorted(indices))
    return turn.t("quiz.and").join(f"{LETTERS[i]}. {view.options[i]}" for i in sorted(indices))


def feedback_message(turn: Voice, feedback: Feedback, *, last: bool) -> tuple[str, Markup | None]:
    """Practice, review and challenge: right or wrong, the answer, the explanation and the basis."""
    view, question = feedback.view, feedback.view.question
    lines = _body(turn, view)
    verdict = "quiz.right" if feedback.correct else ("quiz.late" if feedback.late else "quiz.wrong")
    lines += [
        "",
        turn.t(verdict),
        turn.t("quiz.your_answer", answer=_answer_text(turn, view, feedback.chosen)),
    ]
    if not feedback.correct:
        lines.append(turn.t("quiz.correct_answer", answer=_answer_text(turn, view, feedback.right)))
    lines.append(turn.t("quiz.explanation", text=question.explanation))
    laws = turn.services.content.laws
    cited = [a for a in (laws.article(question.law, n) for n in question.articles) if a]
    lines.append(
        turn.t(
            "quiz.basis",
            law=law_name(laws, question.law, turn),
            articles=turn.t("quiz.and").join(article_label(turn, a) for a in cited),
        )
    )
    # short articles are folded in, under the answer; longer ones are a button away (with their own 下一题)
    text = "\n".join(lines)
    folded = "\n".join(f"{a.label} {a.body}" for a in cited)
    if cited and len(folded) <= FOLD_ARTICLES and len(text) + len(folded) + 2 <= TELEGRAM_LIMIT:
        text, cited = f"{text}\n\n{folded}", []
    articles = [(question.law, a.number, article_label(turn, a)) for a in cited]  # every one cited
    goes_on = not last and view.mode in (AttemptMode.practice, AttemptMode.review)
    next_at = (view.attempt_id, view.position + 1) if goes_on else None
    return text, keyboards.after_feedback(turn.t, articles, next_at)


def article_with_next(
    turn: Voice, article: Article, attempt_id: int, position: int
) -> list[tuple[str, Markup | None]]:
    """An article asked for under feedback, the 下一题 button under its last piece."""
    pieces = article_messages(turn, article)
    return [(p, keyboards.next_only(turn.t, attempt_id, position) if i == len(pieces) - 1 else None)
            for i, p in enumerate(pieces)]  # fmt: skip


def answered_message(turn: Voice, view: QuestionView) -> str:
    """Exam mode: the question stays, marked answered, with no feedback until the end."""
    return "\n".join([*_body(turn, view), "", turn.t("quiz.recorded")])


def summary_message(turn: Voice, summary: Summary) -> tuple[str, Markup]:
    t = turn.t
    if summary.mode is AttemptMode.reading:  # its feedback said it all: no score, pass or fail
        return t("quiz.reading_done"), keyboards.after_result(t, summary)
    lines = [t("quiz.finished_expired") if summary.status.value == "expired" else t("quiz.finished")]
    if summary.shows is Shows.none:
        lines.append(t("quiz.review_none"))
    else:
        lines += result_lines(turn, summary)
    return "\n".join(lines), keyboards.after_result(t, summary)


def review_lines(turn: Voice, summary: Summary) -> list[str]:
    """The questions the review lists (wrong ones, or all marked), with the answers when they may be seen."""
    t, lines = turn.t, []
    if summary.items:
        full = summary.shows is Shows.full
        lines += ["", t("quiz.review_all" if full else "quiz.review_title")]
        for i, item in enumerate(summary.items[:REVIEW_SHOWN], start=1):
            stem = clip(item.question.stem, 40)
            mark = ("✅ " if item.correct else "❌ ") if full else ""
            mark += "" if item.answered else t("quiz.review_unanswered")
            if item.answers is None:
                lines.append(t("quiz.review_item_hidden", n=i, stem=mark + stem))
            else:
                answers = [
                    keyboards.judge_word(t, a) if item.question.type is QType.judge else a
                    for a in item.answers
                ]
                # a multiple choice's options hold 、 themselves: they are parted by ；
                joined = t("quiz.options_and" if item.question.type is QType.multiple else "quiz.and")
                lines.append(t("quiz.review_item", n=i, stem=mark + stem, answer=joined.join(answers)))
        if len(summary.items) > REVIEW_SHOWN:
            lines.append(t("quiz.review_more", n=len(summary.items) - REVIEW_SHOWN))
    if summary.reveal is not None:
        lines.append(t(f"quiz.answers_{summary.reveal.value}"))
    elif summary.mistakes:
        lines.append(t("quiz.review_book"))
    return lines


def result_lines(turn: Voice, summary: Summary) -> list[str]:
    t = turn.t
    minutes, seconds = divmod(summary.seconds, 60)
    lines = []
    if summary.mode is AttemptMode.challenge:
        lines.append(t("quiz.challenge_result", n=summary.correct))
        if summary.best is not None and summary.correct > summary.best:
            lines.append(t("quiz.challenge_record"))
        elif summary.best:
            lines.append(t("quiz.challenge_best", n=summary.best))
    else:
        lines.append(t("quiz.score", score=summary.score, correct=summary.correct, total=summary.total))
        if summary.excellent or summary.passed:
            lines.append(t("quiz.excellent" if summary.excellent else "quiz.passed"))
        elif summary.campaign_over:  # its review after the end (a pupils' pass: 还可以再参加 2 次 there)
            lines.append(t("quiz.failed_ended"))
        elif summary.attempts_left is not None:  # a campaign's: whether it may be taken again
            left = summary.attempts_left
            lines.append(t("quiz.failed_retry", n=left) if left else t("quiz.failed_final"))
        else:
            lines.append(t("quiz.failed"))
        if (counted := summary.counted) is not None:  # an earlier, better attempt is the one that counts
            level = "excellent" if counted.excellent else "passed" if counted.passed else "failed"
            lines.append(t("quiz.counted_other", score=counted.score, result=t(f"quiz.counted_{level}")))
    lines.append(t("quiz.time", minutes=minutes, seconds=seconds))
    return lines + review_lines(turn, summary)


def open_attempt_message(
    turn: Voice, attempt: Attempt, position: int, then: str | None = None
) -> tuple[str, Markup]:
    """Resume or restart? A challenge has no fixed length: its question is counted, not out of a total. A
    campaign's exam is named, and giving it up is called that: it spends one of the campaign's attempts.
    `then`: what was asked when the card came (keyboards.resume)."""
    campaign = turn.services.content.campaigns.get(attempt.campaign_id or "")
    if campaign is not None:
        text = turn.t("quiz.open_exam", campaign=campaign.title_in(turn.language), n=position + 1,
                      total=attempt.total)  # fmt: skip
        return text, keyboards.resume(turn.t, attempt.id, give_up=True, then=then)
    if attempt.mode == AttemptMode.exam.value:  # a practice mock exam: giving it up costs nothing
        return turn.t("quiz.mock_in_progress"), keyboards.resume(turn.t, attempt.id, give_up=True, then=then)
    if attempt.mode == AttemptMode.challenge.value:
        text = turn.t("quiz.open_challenge", n=position + 1)
    else:
        text = turn.t("quiz.open_attempt", n=position + 1, total=attempt.total)
    return text, keyboards.resume(turn.t, attempt.id, position, then=then)


def give_up_question(
    turn: Voice, attempt: Attempt, position: int, then: str | None = None
) -> tuple[str, Markup]:
    """Sure? A campaign's exam given up spends one of its attempts (one tap had done it, from /start too)."""
    campaign = turn.services.content.campaigns.get(attempt.campaign_id or "")
    title = campaign.title_in(turn.language) if campaign is not None else attempt.campaign_id
    text = turn.t("quiz.give_up_sure", campaign=title, n=position + 1, total=attempt.total)
    return text, keyboards.confirm_give_up(turn.t, attempt.id, position, then)


def gave_up_text(voice: Voice, given_up: GivenUp) -> str:
    """An exam given up: a campaign's, which used up one of its attempts, or a practice mock exam."""
    campaign = given_up.campaign
    if campaign is None:
        return voice.t("quiz.gave_up_mock")
    return voice.t("quiz.gave_up", campaign=campaign.title_in(voice.language))


def laws_menu(turn: Voice, laws: list[tuple[str, int]]) -> tuple[str, Markup]:
    library = turn.services.content.laws
    choices = [(slug, law_name(library, slug, turn), n) for slug, n in laws]
    return turn.t("quiz.choose_law"), keyboards.laws(turn.t, choices)


def modes_menu(turn: Voice, law: str) -> tuple[str, Markup]:
    name = law_name(turn.services.content.laws, None if law == "all" else law, turn)
    minutes = -(-turn.services.quiz.exam_seconds // 60)
    return turn.t("quiz.choose_mode", law=name), keyboards.modes(turn.t, law, minutes, EXAM_LENGTH)


def mistakes_text(turn: Voice, questions: Sequence[Question]) -> str:
    """The mistake book: how many, the first REVIEW_LENGTH (as many as 重做错题 practises), and that only
    those are listed (it had said 11 题 and listed 10 without a word)."""
    lines = [turn.t("mistakes.title", n=len(questions))]
    lines += [f"{i}. {clip(q.stem, 40)}" for i, q in enumerate(questions[:REVIEW_LENGTH], start=1)]
    if len(questions) > REVIEW_LENGTH:
        lines.append(turn.t("mistakes.first", shown=REVIEW_LENGTH))
    return "\n".join(lines)


def scores_text(turn: Voice, recent: Sequence[Attempt], best: Sequence[BestScore]) -> str:
    tz = turn.services.settings.tz
    lines = [turn.t("scores.recent")]
    for attempt in recent:
        when = attempt.finished_at.astimezone(tz).strftime("%m-%d %H:%M") if attempt.finished_at else ""
        what = _what(turn, attempt.law, attempt.mode, attempt.campaign_id)
        lines.append(
            turn.t("scores.line", when=when, what=what, score=_score(turn, attempt.mode, attempt.score))
        )
    lines += ["", turn.t("scores.best")]
    for b in sorted(best, key=lambda b: (b.campaign or "", b.law or "", b.mode)):
        what = _what(turn, b.law, b.mode, b.campaign)
        lines.append(turn.t("scores.best_line", what=what, score=_score(turn, b.mode, b.score), n=b.attempts))
    return "\n".join(lines)


def _score(turn: Voice, mode: str, score: int | None) -> str:
    """96 分, or a challenge's 连对 7 题 (a teachers' pass: /scores said 学法考试：96 and 挑战：0 alike)."""
    key = "scores.streak" if mode == AttemptMode.challenge.value else "scores.points"
    return turn.t(key, n=score or 0)


def _what(turn: Voice, law: str | None, mode: str, campaign_id: str | None) -> str:
    """What an attempt was: a campaign by its title (its exam is no mock exam), else the law and mode."""
    campaign = turn.services.content.campaigns.get(campaign_id or "")
    if campaign is not None:
        return campaign.title_in(turn.language)
    return f"{law_name(turn.services.content.laws, law, turn)} {turn.t(f'scores.mode_{mode}')}"

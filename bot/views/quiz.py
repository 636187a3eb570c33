"""Text and buttons for quiz messages: a question, its feedback, the end-of-attempt summary."""

from __future__ import annotations

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from bot.content.laws import LawLibrary
from bot.content.questions import QType, Question
from bot.domain import AttemptMode
from bot.keyboards import rows
from bot.services.quiz import LENGTHS, Feedback, QuestionRef, QuestionView, Summary
from bot.views import Voice

LETTERS = "ABCDEF"


def law_name(laws: LawLibrary, slug: str | None, t: Voice) -> str:
    if slug is None:
        return t.t("quiz.mixed")
    law = laws.get(slug)
    return f"《{law.title.removeprefix('中华人民共和国')}》" if law else slug


def _body(turn: Voice, view: QuestionView) -> list[str]:
    question = view.question
    header = turn.t("quiz.header", n=view.position + 1, total=view.total,
                    law=law_name(turn.services.content.laws, question.law, turn))  # fmt: skip
    if view.mode is AttemptMode.challenge:
        header = turn.t("quiz.header_challenge", n=view.position + 1,
                        law=law_name(turn.services.content.laws, question.law, turn))  # fmt: skip
    lines = [header, f"【{turn.t('quiz.type_' + question.type.value)}】{question.stem}"]
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
    return "\n".join(lines), question_keyboard(turn, view.ref, view.question, frozenset())


def encode_picks(picks: frozenset[int]) -> str:
    return "".join(str(i) for i in sorted(picks)) or "-"


def decode_picks(text: str) -> frozenset[int] | None:
    if text == "-":
        return frozenset()
    if not text.isdigit() or len(set(text)) != len(text):
        return None
    return frozenset(int(c) for c in text)


def question_keyboard(turn: Voice, ref: QuestionRef, question: Question, picks: frozenset[int]) -> Markup:
    """Buttons carry what they claim (attempt, position, question, option order): the engine checks it
    against the database. A tick button carries the ticks it would leave, so a double tap ticks once."""
    base = f"{ref.attempt_id}:{ref.position}:{ref.question_id}:{ref.order}"
    count = len(question.choices)
    if question.type is QType.judge:
        return Markup(
            [
                [
                    Button(question.choices[o], callback_data=f"q:a:{base}:{i}")
                    for i, o in enumerate(ref.indices)
                ]
            ]
        )
    if question.type is QType.single:
        return Markup(rows([Button(LETTERS[i], callback_data=f"q:a:{base}:{i}") for i in range(count)], 4))
    toggles = [
        Button(
            ("✓ " if i in picks else "") + LETTERS[i], callback_data=f"q:t:{base}:{encode_picks(picks ^ {i})}"
        )
        for i in range(count)
    ]
    submit = Button(turn.t("quiz.submit"), callback_data=f"q:s:{base}:{encode_picks(picks)}")
    return Markup([*rows(toggles, 4), [submit]])


def _answer_text(view: QuestionView, indices: frozenset[int]) -> str:
    if view.question.type is QType.judge:
        return "、".join(view.options[i] for i in sorted(indices))
    return "、".join(f"{LETTERS[i]}. {view.options[i]}" for i in sorted(indices))


def feedback_message(turn: Voice, feedback: Feedback, *, last: bool) -> tuple[str, Markup | None]:
    """Practice, review and challenge: right or wrong, the answer, the explanation and the basis."""
    view, question = feedback.view, feedback.view.question
    lines = _body(turn, view)
    verdict = "quiz.right" if feedback.correct else ("quiz.late" if feedback.late else "quiz.wrong")
    lines += ["", turn.t(verdict), turn.t("quiz.your_answer", answer=_answer_text(view, feedback.chosen))]
    if not feedback.correct:
        lines.append(turn.t("quiz.correct_answer", answer=_answer_text(view, feedback.right)))
    lines.append(turn.t("quiz.explanation", text=question.explanation))
    laws = turn.services.content.laws
    cited = "、".join(a.label for a in (laws.article(question.law, n) for n in question.articles) if a)
    lines.append(turn.t("quiz.basis", law=law_name(laws, question.law, turn), articles=cited))
    buttons = [Button(turn.t("quiz.original", label=laws.article(question.law, n).label),  # type: ignore[union-attr]
                      callback_data=f"law:art:{question.law}:{n}") for n in question.articles[:3]]  # fmt: skip
    keyboard = rows(buttons, 3)
    if not last and view.mode in (AttemptMode.practice, AttemptMode.review):
        keyboard.append(
            [Button(turn.t("quiz.next"), callback_data=f"q:n:{view.attempt_id}:{view.position + 1}")]
        )
    return "\n".join(lines), Markup(keyboard) if keyboard else None


def answered_message(turn: Voice, view: QuestionView) -> str:
    """Exam mode: the question stays, marked answered, with no feedback until the end."""
    return "\n".join([*_body(turn, view), "", turn.t("quiz.recorded")])


def summary_message(turn: Voice, summary: Summary) -> tuple[str, Markup]:
    t = turn.t
    minutes, seconds = divmod(summary.seconds, 60)
    lines = [t("quiz.finished_expired") if summary.status.value == "expired" else t("quiz.finished")]
    if summary.mode is AttemptMode.challenge:
        lines.append(t("quiz.challenge_result", n=summary.correct))
        if summary.best is not None and summary.correct > summary.best:
            lines.append(t("quiz.challenge_record"))
        elif summary.best:
            lines.append(t("quiz.challenge_best", n=summary.best))
    else:
        lines.append(t("quiz.score", score=summary.score, correct=summary.correct, total=summary.total))
        mark = "quiz.excellent" if summary.excellent else ("quiz.passed" if summary.passed else "quiz.failed")
        lines.append(t(mark))
    lines.append(t("quiz.time", minutes=minutes, seconds=seconds))
    if summary.wrong:
        lines += ["", t("quiz.review_title")]
        for i, (question, answers) in enumerate(summary.wrong[:10], start=1):
            stem = question.stem if len(question.stem) <= 40 else question.stem[:39] + "…"
            lines.append(t("quiz.review_item", n=i, stem=stem, answer="、".join(answers)))
        if len(summary.wrong) > 10:
            lines.append(t("quiz.review_more", n=len(summary.wrong) - 10))
        lines.append(t("quiz.review_book"))
    if summary.campaign_id:
        keyboard = [[Button(t("campaign.rank"), callback_data=f"camp:k:{summary.campaign_id}")]]
        if summary.passed:
            keyboard[0].append(
                Button(t("campaign.certificate"), callback_data=f"camp:c:{summary.campaign_id}")
            )
    else:
        keyboard = [
            [
                Button(t("quiz.again"), callback_data="quiz:menu"),
                Button(t("menu.scores"), callback_data="quiz:scores"),
            ]
        ]
    return "\n".join(lines), Markup(keyboard)


def laws_menu(turn: Voice, laws: list[tuple[str, int]]) -> Markup:
    library = turn.services.content.laws
    buttons = [Button(turn.t("quiz.law_button", law=law_name(library, slug, turn), n=n), callback_data=f"quiz:law:{slug}")
               for slug, n in laws]  # fmt: skip
    keyboard = [[Button(turn.t("quiz.mixed"), callback_data="quiz:law:all")], *rows(buttons, 2)]
    return Markup(keyboard)


def modes_menu(turn: Voice, law: str) -> Markup:
    practice = [
        Button(turn.t("quiz.practice_n", n=n), callback_data=f"quiz:go:{law}:practice:{n}") for n in LENGTHS
    ]
    return Markup([
        practice,
        [Button(turn.t("quiz.exam_button", minutes=-(-turn.services.quiz.exam_seconds // 60)), callback_data=f"quiz:go:{law}:exam:20")],
        [Button(turn.t("quiz.challenge_button"), callback_data=f"quiz:go:{law}:challenge:0")],
        [Button(turn.t("nav.back"), callback_data="quiz:menu")],
    ])  # fmt: skip


def resume_menu(turn: Voice, attempt_id: int) -> Markup:
    return Markup([[Button(turn.t("quiz.resume"), callback_data=f"quiz:resume:{attempt_id}"),
                    Button(turn.t("quiz.restart"), callback_data="quiz:restart")]])  # fmt: skip

"""What a contest shows after an attempt (its `review` options): the shipped contest shows the score and
which questions were wrong, and the correct answers only once it has closed, nowhere sooner: not in the
per-question replies, the result, the review button, nor the mistake book."""

from __future__ import annotations

from bot.content.campaigns import Reveal, Review, Shows
from bot.content.questions import QType, Question
from bot.runtime import Services
from bot.sim import SimMessage, Simulator, SimUser
from tests.conftest import Clock
from tests.handlers.helpers import answer, question_of, registered

CONTEST = "constitution-day-2026"


def answer_texts(question: Question) -> list[str]:
    return [question.choices[i] for i in sorted(question.correct)]


async def take(user: SimUser, services: Services, right: int) -> tuple[SimMessage, list[Question]]:
    """Take the Constitution Day contest, answering the first `right` questions correctly; the result and
    the questions answered wrong."""
    await user.send("/campaign")
    await user.press("宪法宣传周")
    question = (await user.press("开始答题"))[-1]
    wrong = []
    for number in range(15):
        asked = question_of(services.content, question)
        if number >= right:
            wrong.append(asked)
        sent = await answer(user, services.content, question, correctly=number < right)
        assert (
            "已作答" in question.text and "正确答案" not in question.text and "回答错误" not in question.text
        )
        assert question.button_texts == []  # nothing left to press that could tell
        if number < 14:
            question = sent[-1]
    return user.last, wrong


def shows_answers(text: str, questions: list[Question]) -> bool:
    return any("→ " + "、".join(answer_texts(q)) in text for q in questions)


async def test_the_contest_shows_score_and_wrong_questions_and_the_answers_once_closed(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    pupil = await registered(sim, role="学生", name="小红")
    result, wrong = await take(pupil, services, right=12)
    assert "得分：80 分（答对 12/15 题）" in result.text and "错题回顾" in result.text
    assert all(q.stem[:20] in result.text for q in wrong)
    assert not shows_answers(result.text, wrong) and "活动结束后公布" in result.text
    [mistakes] = await pupil.send("/mistakes")
    assert (
        "错题本里暂时没有题目" in mistakes.text
    )  # redoing them would tell the answers before the second attempt
    assert (
        "会在公布答案后加入错题本" in mistakes.text
    )  # and it says so (错题本是空的，继续保持! after 19 wrong)
    await pupil.send("/campaign")
    await pupil.press("宪法宣传周")
    details = pupil.last
    [review] = await pupil.press("答题回顾", message=details)
    assert all(q.stem[:20] in review.text for q in wrong) and not shows_answers(review.text, wrong)

    clock.advance(days=7)  # 12-08 09:00: the contest closed at 12-07 22:00
    await pupil.send("/campaign")
    await pupil.press("宪法宣传周")
    details = pupil.last
    assert "活动已结束" in details.text
    [review] = await pupil.press("答题回顾", message=details)
    assert "得分：80 分" in review.text and shows_answers(review.text, wrong)
    # a multiple choice's options parted by ；, as they hold 、 themselves (a teachers' pass)
    assert all(
        f"→ {('；' if q.type is QType.multiple else '、').join(answer_texts(q))}" in review.text
        for q in wrong
    )
    [mistakes] = await pupil.send("/mistakes")
    assert all(q.stem[:20] in mistakes.text for q in wrong)


async def test_the_staff_exam_keeps_its_answers_until_it_closes(sim: Simulator, services: Services) -> None:
    teacher = await registered(sim, name="赵老师")
    await teacher.send("/campaign")
    await teacher.press("学法考试")
    question = (await teacher.press("开始答题"))[-1]
    wrong = question_of(services.content, question)
    for number in range(25):
        sent = await answer(teacher, services.content, question, correctly=number > 0)
        assert "正确答案" not in question.text
        if number < 24:
            question = sent[-1]
    result = teacher.last
    assert "得分：96 分" in result.text and wrong.stem[:20] in result.text
    assert not shows_answers(result.text, [wrong]) and "活动结束后公布" in result.text


async def test_other_review_options_show_what_they_say(sim: Simulator, services: Services) -> None:
    """`full` after the last attempt (one attempt): every question marked, with the answers at once;
    `none`: only that the answers were handed in."""
    contest = services.content.campaigns[CONTEST]
    full = contest.model_copy(
        update={"attempts": 1, "review": Review(shows=Shows.full, answers=Reveal.after_last_attempt)}
    )
    services.quiz.campaigns = {**services.quiz.campaigns, CONTEST: full}
    services.campaigns.campaigns = {**services.campaigns.campaigns, CONTEST: full}
    pupil = await registered(sim, role="学生", name="小刚")
    result, wrong = await take(pupil, services, right=14)
    assert "答题回顾" in result.text and result.text.count("✅ ") == 14 and result.text.count("❌ ") == 1
    assert shows_answers(result.text, wrong) and "正确答案将在" not in result.text
    [mistakes] = await pupil.send("/mistakes")
    assert wrong[0].stem[:20] in mistakes.text

    hidden = contest.model_copy(update={"review": Review(shows=Shows.none)})
    services.quiz.campaigns = {**services.quiz.campaigns, CONTEST: hidden}
    services.campaigns.campaigns = {**services.campaigns.campaigns, CONTEST: hidden}
    other = await registered(sim, role="学生", name="小丽")
    result, wrong = await take(other, services, right=10)
    assert "答卷已提交" in result.text and "得分" not in result.text
    assert not any(q.stem[:20] in result.text for q in wrong)


async def test_a_failed_attempts_review_after_the_contest_says_it_has_ended(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    """A pupils' pass: after the contest closed, a failed attempt's 答题回顾 still said 还可以再参加 2 次，再接再厉！
    under a card with no way to take part."""
    pupil = await registered(sim, role="学生", name="小明")
    result, _ = await take(pupil, services, right=5)
    assert "还可以再参加 2 次" in result.text  # while it is open
    clock.advance(days=7)
    await pupil.send("/campaign")
    await pupil.press("宪法宣传周")
    [review] = await pupil.press("答题回顾", message=pupil.last)
    assert "结果：不合格（活动已结束）。" in review.text and "还可以再参加" not in review.text

"""Quizzes in private chat, end to end through the simulated Telegram."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, func, select

from bot.content.bundle import Content
from bot.content.questions import QType
from bot.db.models import Attempt, AttemptQuestion, User
from bot.runtime import Services
from bot.sim import Simulator
from tests.conftest import Clock
from tests.handlers.helpers import (
    answer,
    displayed_options,
    question_of,
    registered,
    right_buttons,
    run_job,
    wrong_button,
)


async def start_quiz(user, law: str = "《宪法》", mode: str = "练习 10 题"):  # type: ignore[no-untyped-def]
    await user.send("/quiz")
    await user.press(law)
    sent = await user.press(mode)
    return sent[-1]


async def count(services: Services, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with services.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_quiz_asks_for_registration_first(sim: Simulator) -> None:
    user = sim.user()
    [reply] = await user.send("/quiz")
    assert "登记" in reply.text and "学生" in reply.button_texts


async def test_quiz_names_a_law_to_practise(sim: Simulator) -> None:
    """/quiz 教师法 had listed every law, the argument ignored (a teachers' pass); a name no law has lists them."""
    user = await registered(sim)
    [modes] = await user.send("/quiz 教师法")
    assert modes.text.startswith("《教师法》") and "挑战答题（答错即止，每题 30 秒）" in modes.button_texts
    [short] = await user.send("/quiz 未保法")
    assert short.text.startswith("《未成年人保护法》")
    [traditional] = await user.send("/quiz 憲法")  # a pupils' pass: ignored, where /law 憲法 33 worked
    assert traditional.text.startswith("《宪法》")
    [unknown] = await user.send("/quiz 交通法")
    assert unknown.text == "请选择要练习的法律："


async def test_practice_gives_feedback_the_article_and_a_score(sim: Simulator, content: Content) -> None:
    user = await registered(sim)
    question = await start_quiz(user)
    assert question.text.startswith("📝 第 1/10 题 · 《宪法》")
    await answer(user, content, question, correctly=True)
    assert (
        "✅ 回答正确" in question.text
        and "💡 解析" in question.text
        and "📖 依据：《宪法》第" in question.text
    )
    cited = content.laws.article("constitution", question_of(content, question).articles[0])
    assert cited is not None and cited.body in question.text  # a short article is folded in
    assert not any("原文" in b for b in question.button_texts)
    [second] = await user.press("下一题", message=question)
    assert second.text.startswith("📝 第 2/10 题")
    assert not any("下一题" in b for b in question.button_texts)
    await answer(user, content, second, correctly=False)
    assert "❌ 回答错误" in second.text and "正确答案" in second.text
    current = second
    for _ in range(8):
        [current] = await user.press("下一题", message=current)
        await answer(user, content, current, correctly=True)
    summary = user.last
    assert (
        "答题结束" in summary.text
        and "得分：90 分（答对 9/10 题）" in summary.text
        and "优秀" in summary.text
    )
    assert "错题回顾" in summary.text and question_of(content, second).stem[:20] in summary.text


async def first_multiple_choice(user, content: Content):  # type: ignore[no-untyped-def]
    """Start a civil-code practice and answer until a multiple-choice question comes."""
    message = await start_quiz(user, law="《民法典》")
    while question_of(content, message).type.value != "multiple":
        await answer(user, content, message)
        [message] = await user.press("下一题", message=message)
    return message


async def test_multiple_choice_toggles_and_scores_all_or_nothing(sim: Simulator, content: Content) -> None:
    user = await registered(sim)
    message = await first_multiple_choice(user, content)
    right = right_buttons(content, message)
    tick = user.press_payload(right[0], message=message)
    await sim.deliver(tick)
    assert message.button_texts[right[0]].startswith("✓ ")
    await sim.deliver(user.press_payload(right[0], message=message, data=tick["callback_query"]["data"]))
    assert message.button_texts[right[0]].startswith("✓ ")  # a double tap on the same tick ticks once
    wrong = wrong_button(content, message)
    await user.press(wrong, message=message)
    await user.press(f"✓ {message.button_texts[wrong][2:]}", message=message)  # untick the wrong one again
    for index in right[1:]:
        await user.press(index, message=message)
    await user.press("提交", message=message)
    assert "✅ 回答正确" in message.text
    # the answer by its letters, its options being right above: their texts hold 、 themselves and, joined,
    # could not be told apart (a teachers' pass)
    letters = "、".join("ABCDEF"[i] for i in sorted(right))
    assert f"你的答案：{letters}\n" in message.text


async def test_submitting_nothing_asks_to_pick_first(sim: Simulator, content: Content) -> None:
    user = await registered(sim)
    message = await first_multiple_choice(user, content)
    await user.press("提交", message=message)
    assert user.last_alert is not None and "至少一个" in user.last_alert["text"]


async def test_exam_has_no_feedback_and_closes_at_the_deadline(
    sim: Simulator, services: Services, content: Content, clock: Clock
) -> None:
    user = await registered(sim)
    first = await start_quiz(user, mode="模拟考试")
    assert "交卷截止时间 09:15" in first.text
    [second] = await answer(user, content, first)
    assert "已作答" in first.text and "正确" not in first.text and second.text.startswith("📝 第 2/20 题")
    clock.advance(minutes=16)
    await answer(user, content, second)
    assert "时间到" in user.last.text and "得分：5 分" in user.last.text
    assert (
        "用时：15 分 0 秒" in user.last.text
    )  # its time limit: it had said 16 minutes, the time until closed
    assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 1
    # another user's exam is closed by the job, and they are told their result
    other = await registered(sim, name="李老师")
    await start_quiz(other, mode="模拟考试")
    clock.advance(minutes=20)
    await run_job(sim, "expire-attempts")
    assert "时间到" in other.last.text and "得分：0 分" in other.last.text
    assert "用时：15 分 0 秒" in other.last.text
    # the questions time ran out on are marked so, and they are no mistakes: none joined the book (it
    # said 错题已加入错题本 over twenty questions never even shown)
    assert "（未作答）" in other.last.text and "错题已加入错题本" not in other.last.text
    [book] = await other.send("/mistakes")
    assert "错题本是空的" in book.text


async def test_an_exam_whose_time_ran_out_before_the_job_is_not_offered_to_carry_on(
    sim: Simulator, content: Content, clock: Clock
) -> None:
    """A mock exam whose time ran out while the bot was down (the expiry job not yet round) was offered to
    carry on (继续 / 放弃), then said 时间到 at the next answer: coming back, the user gets the result at
    once, then what they asked for, and the job sends it no second time."""
    user = await registered(sim)
    first = await start_quiz(user, mode="模拟考试")
    await answer(user, content, first)
    clock.advance(minutes=16)
    [result, menu] = await user.send("/quiz")
    assert "时间到" in result.text and "得分：5 分" in result.text, result.text
    assert menu.text == "请选择要练习的法律：", menu.text
    await run_job(sim, "expire-attempts")
    assert user.last is menu


async def test_challenge_ends_at_the_first_mistake_or_after_30_seconds(
    sim: Simulator, services: Services, content: Content, clock: Clock
) -> None:
    user = await registered(sim)
    message = await start_quiz(user, mode="挑战答题")
    assert message.text.startswith("🔥 挑战第 1 题")
    [message] = await answer(user, content, message)
    [message] = await answer(user, content, message)
    await answer(user, content, message, correctly=False)
    assert "连续答对 2 题" in user.last.text and "个人最好成绩" in user.last.text
    message = await start_quiz(user, mode="挑战答题")
    clock.advance(seconds=31)
    await answer(user, content, message)
    assert "超时" in message.text and "连续答对 0 题" in user.last.text
    # each question has its own 30 seconds, counted from the previous answer
    message = await start_quiz(user, mode="挑战答题")
    clock.advance(seconds=25)
    [message] = await answer(user, content, message)
    clock.advance(seconds=25)
    [message] = await answer(user, content, message)
    clock.advance(seconds=31)
    await answer(user, content, message)
    assert "超时" in message.text and "连续答对 2 题" in user.last.text
    # a challenge left alone is closed by the job 30 seconds after its last answer
    message = await start_quiz(user, mode="挑战答题")
    await answer(user, content, message)
    clock.advance(seconds=29)
    await run_job(sim, "expire-attempts")
    assert user.last.text.startswith("🔥 挑战第 2 题")
    clock.advance(seconds=2)
    await run_job(sim, "expire-attempts")
    assert "时间到" in user.last.text and "连续答对 1 题" in user.last.text


async def test_a_restart_mid_quiz_carries_on_and_old_buttons_still_work(
    sim: Simulator, services: Services, content: Content
) -> None:
    from bot.app import build_application, on_startup
    from bot.sim.simulator import SIM_TOKEN, SimRequest

    user = await registered(sim)
    first = await start_quiz(user)
    await answer(user, content, first)
    restarted = build_application(services, request=SimRequest(sim.world), token=SIM_TOKEN)
    async with restarted:
        await on_startup(restarted)
        sim.app = restarted
        [second] = await user.press("下一题", message=first)
        assert second.text.startswith("📝 第 2/10 题")
        [offer] = await user.send("/quiz")
        assert "未完成" in offer.text and offer.button_texts == ["▶️ 继续", "🔄 重新开始"]
        await user.press("继续")
        again = user.last
        assert again.text == second.text
        await answer(user, content, second)  # the first copy's buttons still work
        assert "回答" in second.text


async def test_double_taps_replays_and_concurrent_taps_count_once(
    sim: Simulator, services: Services, content: Content
) -> None:
    user = await registered(sim)
    message = await start_quiz(user)
    index = right_buttons(content, message)[0]
    payload = user.press_payload(index, message=message)
    await sim.deliver(payload)
    await sim.deliver(payload)  # the same update delivered twice
    await user.press(0, message=message, data=payload["callback_query"]["data"])  # a late second tap
    assert user.last_alert is not None and "已经作答" in user.last_alert["text"]
    [second] = await user.press("下一题", message=message)
    tap = user.press_payload(right_buttons(content, second)[0], message=second)["callback_query"]["data"]
    await asyncio.gather(user.press(0, message=second, data=tap), user.press(0, message=second, data=tap))
    await asyncio.gather(user.press("下一题", message=second), user.press("下一题", message=second))
    async with services.db.transaction() as session:
        attempt = await session.scalar(select(Attempt))
        assert attempt is not None and attempt.shown == 3
    assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 2
    assert sum(1 for m in user.private.bot_messages if m.text.startswith("📝 第 3/10 题")) == 1


async def test_forged_callbacks_are_refused_and_change_nothing(
    sim: Simulator, services: Services, content: Content
) -> None:
    owner = await registered(sim)
    message = await start_quiz(owner)
    intruder = await registered(sim, name="别人")
    for data in [message.buttons[0][0]["callback_data"], "q:a:1:0:9", "q:a:x:0:1", "q:t:1:0:0:5",
                 "quiz:go:tax_code:practice:10", "quiz:go:constitution:practice:7", "quiz:resume:1", "law:art:civil_code:99999"]:  # fmt: skip
        await intruder.press(0, message=message, data=data)
        assert intruder.last_alert is not None and intruder.last_alert["show_alert"], data
    # the owner's own buttons with the options' order in letters (it had raised ValueError: a robustness
    # pass), or ids beyond an INTEGER column (PostgreSQL had raised DBAPIError)
    prefix, kind, attempt, position, question, _order, option = message.buttons[0][0]["callback_data"].split(
        ":"
    )
    for data in [f"{prefix}:{kind}:{attempt}:{position}:{question}:xxxx:{option}",
                 f"q:t:{attempt}:{position}:{question}:xxxx:0", f"q:n:{2**31}:1", f"quiz:resume:{2**31}"]:  # fmt: skip
        await owner.press(0, message=message, data=data)
        assert owner.last_alert is not None and owner.last_alert["show_alert"], data
    assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 0
    assert await count(services, Attempt) == 1


async def test_answers_speak_the_language_the_user_chose(
    sim: Simulator, services: Services, content: Content
) -> None:
    """Answering reads no user row (the answer's own statement brings the language back), yet feedback,
    repeats and refusals are in the language the user chose; a stranger's forged press leaves no row."""
    await start_quiz(await registered(sim, name="先来的"))  # another user's attempt, in Chinese, comes first
    user = await registered(sim)
    message = await start_quiz(user)
    button = message.buttons[0][0]["callback_data"]
    await user.send("/language")
    await user.press("English")
    await answer(user, content, message)
    assert "✅ Correct!" in message.text and "Next ›" in message.button_texts
    await user.press(0, message=message, data=button)
    assert (
        user.last_alert is not None and user.last_alert["text"] == "This question has already been answered."
    )
    stranger = sim.user("Stranger", language_code="en-GB")
    await stranger.press(0, message=message, data=button)
    assert stranger.last_alert is not None and stranger.last_alert["text"] == "This is not your quiz."
    assert await count(services, User, User.id == stranger.id) == 0


@pytest.mark.parametrize("mode", ["练习 10 题", "模拟考试"])
async def test_an_answer_costs_one_statement(
    sim: Simulator, services: Services, content: Content, mode: str
) -> None:
    """Practice shows feedback; an exam shows the next question at once: one statement either way."""
    user = await registered(sim)
    message = await start_quiz(user, mode=mode)
    label: str | int = right_buttons(content, message)[0]
    if "✅ 提交" in message.button_texts:  # ticks are not part of the answer
        for index in right_buttons(content, message):
            await user.press(index, message=message)
        label = "提交"
    statements: list[str] = []
    record = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(services.db.engine.sync_engine, "before_cursor_execute", record)
    try:
        sent = await user.press(label, message=message)
    finally:
        event.remove(services.db.engine.sync_engine, "before_cursor_execute", record)
    if mode == "模拟考试":
        assert "已作答" in message.text and sent[-1].text.startswith("📝 第 2/20 题")
    else:
        assert "回答正确" in message.text
    assert len(statements) == 1, statements


async def test_mistakes_leave_the_book_after_two_later_correct_days(
    sim: Simulator, services: Services, content: Content, clock: Clock
) -> None:
    user = await registered(sim)
    message = await start_quiz(user)
    await answer(user, content, message, correctly=False)
    [book] = await user.send("/mistakes")
    assert "错题本（1 题）" in book.text and question_of(content, message).stem[:30] in book.text
    [asked] = await user.press("重做错题", message=book)  # the quiz under way is asked about, not dropped
    assert asked.text.startswith("您有一次未完成的答题（第 2/10 题）")
    [redo] = await user.press("🔄 重新开始", message=asked)  # … and dropped, it is the mistakes (a review:
    assert redo.text.startswith("📝 第 1/1 题")  # 重新开始 had opened the law list, the mistakes forgotten)
    for day in (0, 1, 2):  # right the same day (does not count), then on two later days
        if day:
            await user.press("重做错题", message=book)
        await answer(user, content, user.last, correctly=True)
        [book] = await user.send("/mistakes")
        assert ("错题本（1 题）" in book.text) == (day < 2), day
        clock.advance(days=1)
    assert "空的" in book.text


async def test_scores_show_recent_attempts_and_bests(sim: Simulator, content: Content) -> None:
    user = await registered(sim)
    [none] = await user.send("/scores")
    assert none.text.startswith("还没有答题记录")
    message = await start_quiz(user, mode="挑战答题")
    [under_way] = await user.send("/scores")  # it had said 还没有答题记录, as if the answers were lost
    assert under_way.text.startswith("还没有答完的答题：正在进行的一次答完后会列在这里")
    await answer(user, content, message, correctly=False)
    [scores] = await user.send("/scores")
    assert (
        "最近的答题" in scores.text and "《宪法》 挑战：连对 0 题" in scores.text
    )  # no 分: it counts answers


async def test_students_get_questions_written_for_them(sim: Simulator, content: Content) -> None:
    pupil = await registered(sim, role="学生", name="小明")
    message = await start_quiz(pupil, mode="练习 20 题")
    seen = [question_of(content, message)]
    for _ in range(19):
        await answer(pupil, content, message)
        [message] = await pupil.press("下一题", message=message)
        seen.append(question_of(content, message))
    assert not any(q.audience.value == "staff" for q in seen)
    assert sum(q.audience.value == "primary" for q in seen) >= 8


async def test_again_repeats_the_same_law_and_length_and_keeps_the_result(
    sim: Simulator, content: Content
) -> None:
    user = await registered(sim)
    message = await start_quiz(user, law="《民法典》", mode="练习 20 题")
    for number in range(20):
        await answer(user, content, message)
        if number < 19:
            [message] = await user.press("下一题", message=message)
    summary = user.last
    assert "答对 20/20 题" in summary.text
    [starting, first] = await user.press("再来一次", message=summary)
    assert "答对 20/20 题" in summary.text  # the result stays on screen
    assert starting.text.startswith("开始答题：《民法典》") and first.text.startswith(
        "📝 第 1/20 题 · 《民法典》"
    )


async def test_a_quiz_over_all_laws_says_so_when_it_starts(sim: Simulator) -> None:
    """综合（全部法律） was announced as 开始答题：《民法典》 (or whichever law the first question came from)."""
    user = await registered(sim)
    [menu] = await user.send("/quiz")
    await user.press("综合（全部法律）")  # the modes, in place of the laws
    [first] = await user.press("练习 10 题")
    assert menu.text.startswith("开始答题：综合（全部法律）")  # in place of the modes
    assert first.text.startswith("📝 第 1/10 题 · 《")  # each question says its own law


async def test_again_after_a_challenge_starts_a_challenge_of_the_same_law(
    sim: Simulator, content: Content
) -> None:
    user = await registered(sim)
    message = await start_quiz(user, mode="挑战答题")
    await answer(user, content, message, correctly=False)
    [_, first] = await user.press("再来一次", message=user.last)
    assert first.text.startswith("🔥 挑战第 1 题 · 《宪法》")


async def test_an_unfinished_challenge_is_resumed_at_its_question_without_a_total(
    sim: Simulator, content: Content
) -> None:
    user = await registered(sim)
    message = await start_quiz(user, mode="挑战答题")
    await answer(user, content, message)
    [asked] = await user.send("/quiz")
    assert "挑战（第 2 题）" in asked.text and "/" not in asked.text
    await user.press("重新开始", message=asked)  # a practice quiz's prompt still counts out of its length
    await user.press("《宪法》")
    await user.press("练习 10 题")
    [asked] = await user.send("/quiz")
    assert "（第 1/10 题）" in asked.text


async def test_a_long_article_comes_with_its_own_next_button(sim: Simulator, content: Content) -> None:
    """The 原文 of an article too long to fold into the feedback arrives below it, with 下一题 under it."""
    user = await registered(sim)
    message = await start_quiz(user, law="《民法典》", mode="练习 20 题")
    for _ in range(19):
        await answer(user, content, message)
        if any("原文" in b for b in message.button_texts):
            break
        [message] = await user.press("下一题", message=message)
    else:
        pytest.fail("no question citing a long article in 19")
    pieces = await user.press("原文", message=message)
    assert pieces[0].text.startswith("📖 《民法典》第") and pieces[-1].button_texts == ["下一题 ›"]
    [following] = await user.press("下一题", message=pieces[-1])
    assert following.text.startswith("📝 第 ") and pieces[-1].button_texts == []
    assert len(message.text) <= 4096


def test_the_review_says_true_and_false_in_english(services: Services) -> None:
    """During the quiz a true/false question said True / False, and the review at its end → 对 / → 错."""
    from bot.content.questions import QType
    from bot.domain import AttemptMode
    from bot.services.quiz.types import AttemptStatus, ReviewItem, Summary
    from bot.views import Speaker
    from bot.views.quiz import summary_message

    judged = [q for q in services.content.questions.questions.values() if q.type is QType.judge]
    true = next(q for q in judged if q.answer == "对")
    false = next(q for q in judged if q.answer == "错")
    wrong = [ReviewItem(true, False, ["对"]), ReviewItem(false, False, ["错"])]
    summary = Summary(attempt_id=1, user_id=1, mode=AttemptMode.practice, law=None, status=AttemptStatus.finished,
                      answered=2, correct=0, total=2, score=0, seconds=30, passed=False, excellent=False, items=wrong)  # fmt: skip
    english, _ = summary_message(Speaker(services, "en"), summary)
    chinese, _ = summary_message(Speaker(services, "zh"), summary)
    words = {"对": ("True", "对"), "错": ("False", "错")}
    for item in wrong:
        en, zh = words[item.answers[0]]  # type: ignore[index]
        assert f"→ {en}" in english and f"→ {zh}" in chinese
    assert "→ 对" not in english and "→ 错" not in english


def test_every_article_a_question_cites_has_its_button(services: Services) -> None:
    """依据 listed five articles and three 原文 buttons came under it (the first three only)."""
    from bot.domain import AttemptMode
    from bot.services.quiz.types import Feedback, QuestionRef, QuestionView
    from bot.views import Speaker
    from bot.views.quiz import feedback_message

    laws = services.content.laws
    question = max(services.content.questions.questions.values(), key=lambda q: len(q.articles))
    assert len(question.articles) >= 4
    order = "".join(str(i) for i in range(len(question.choices)))
    view = QuestionView(
        QuestionRef(1, 0, question.id, order), 10, AttemptMode.practice, question.law, question
    )
    text, markup = feedback_message(
        Speaker(services, "zh"), Feedback(view, False, frozenset(), frozenset()), last=False
    )
    labels = [b.text for row in markup.inline_keyboard for b in row] if markup else []
    bodies = [laws.article(question.law, n).body[:12] for n in question.articles]  # type: ignore[union-attr]
    originals = [label for label in labels if label.startswith("原文")]
    if all(body in text for body in bodies):  # short enough to be folded in under the answer
        assert originals == []
    else:
        assert len(originals) == len(question.articles), labels


def typed_answer(content: Content, message, correctly: bool) -> str:  # type: ignore[no-untyped-def]
    """What a person types to answer the question in `message`: its letters, or 对 / 错."""
    question = question_of(content, message)
    picks = right_buttons(content, message) if correctly else [wrong_button(content, message)]
    if question.type is QType.judge:
        return displayed_options(message, question)[picks[0]]
    if question.type is QType.multiple and not correctly:
        picks = [*picks, next(i for i in range(len(question.choices)) if i not in picks)]
    return "".join("ABCDEF"[i] for i in picks)


async def test_an_option_typed_during_a_quiz_answers_the_question_on_screen(
    sim: Simulator, services: Services, content: Content, clock: Clock
) -> None:
    """B typed instead of pressed had got 我能看懂文字提问 and later only the question again with 请点选项按钮 (pupils'
    and teachers' passes typed B, BCEF, 选A, 对): it answers the question on screen. Typed between a practice
    question's feedback and its 下一题 it answers nothing unseen: the next question is shown, with how to
    answer; so is one that names no option of the question (F of four, A for 对/错, B alone for a multiple
    choice). With no quiz under way it is an enquiry as before."""
    user = await registered(sim)
    question = await start_quiz(user)
    [feedback] = await user.send("我选" + typed_answer(content, question, correctly=True))
    assert "✅ 回答正确" in feedback.text and "下一题 ›" in feedback.button_texts
    assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 1
    hint, second = await user.send("B")  # the next question was not on screen yet
    assert hint.text.startswith("请点选项按钮作答，也可以直接发送选项字母")
    assert second.text.startswith("📝 第 2/10 题")
    kind = question_of(content, second).type
    wrong_kind = {QType.judge: "A", QType.single: "对", QType.multiple: "C"}[kind]
    hint, again = await user.send(wrong_kind)
    assert hint.text.startswith("请点选项按钮作答"), wrong_kind
    assert question_of(content, again) == question_of(content, second)
    clock.advance(seconds=5)  # (typed at once after an answer, it would be taken as meant for that one)
    [feedback] = await user.send(typed_answer(content, second, correctly=False))
    assert "❌" in feedback.text, feedback.text
    assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 2
    # the button of a question answered by typing changes nothing
    await user.press(0, message=second)
    assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 2
    [third] = await user.press("下一题", message=feedback)
    # a pupils' pass: 继续, which had got 民法典's articles on leases, and emoji alone, which had got
    # 没看明白你的意思
    for typed in ("继续", "下一题", "提交", "😭", "？？", "不知道", "idk", "skip"):
        hint, again = await user.send(typed)
        assert hint.text.startswith("请点选项按钮作答"), typed
        assert question_of(content, again) == question_of(content, third)
    [other] = await sim.user("家长").send("B")
    assert not other.text.startswith("请点选项按钮作答")
    # a teachers' pass: 交卷 and 我不想考了 had got 这个问题我还答不上来, with no word of the quiz under way
    for typed in ("交卷", "我不想考了", "我不想做了", "放弃"):
        [card] = await user.send(typed)
        assert "未完成" in card.text and card.button_texts == ["▶️ 继续", "🔄 重新开始"], typed
    [question_again] = await user.press("继续", message=card)
    assert question_of(content, question_again) == question_of(content, third)


async def test_options_typed_in_an_exam_are_recorded_and_the_next_question_follows(
    sim: Simulator, services: Services, content: Content, clock: Clock
) -> None:
    """An exam shows its next question with each answer: typed answers go through it to the end, in any of
    the ways people typed them (b、d, A C, 答案是对, full-width letters). A second message within TYPED_QUIET of
    an answer was typed for that one (sent twice): it answers nothing unseen (a review: A sent twice had
    answered the next question, in an exam where answers are final). Words are no letters (bad, face)."""
    user = await registered(sim)
    question = await start_quiz(user, mode="模拟考试")
    for number in range(20):
        typed = typed_answer(content, question, correctly=True)
        said = {0: typed.lower() if len(typed) == 1 else typed, 1: " ".join(typed), 2: "答案是" + typed,
                3: "、".join(typed)}.get(number % 5, typed)  # fmt: skip
        if number == 1:  # a word of letters answers nothing
            await user.send("bad")
            assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 1
        sent = await user.send(
            said.translate(str.maketrans("ABCDEF", "ＡＢＣＤＥＦ")) if number == 4 else said
        )
        if number < 19:
            recorded, question = sent
            assert "已作答" in recorded.text and question.text.startswith(f"📝 第 {number + 2}/20 题"), said
        if number == 0:  # the same letter again at once: for the question just answered, not the next one
            hint, again = await user.send(said)
            assert hint.text.startswith("请点选项按钮作答") and again.text.startswith("📝 第 2/20 题")
            assert await count(services, AttemptQuestion, AttemptQuestion.answered_at.is_not(None)) == 1
        clock.advance(seconds=5)
    assert "100" in sent[-1].text, sent[-1].text


async def test_next_still_works_after_carrying_on_from_the_menu(sim: Simulator, content: Content) -> None:
    """Carrying on with 继续 (from /quiz, after the FAQ, say) had left every later 下一题 silent: the question
    it showed again did not count as sent, and each 下一题 waited for it."""
    user = await registered(sim)
    first = await start_quiz(user)
    await answer(user, content, first, correctly=True)
    await user.send("/faq")
    await user.send("/quiz")
    [second] = await user.press("继续")
    assert second.text.startswith("📝 第 2/10 题")
    await answer(user, content, second, correctly=True)
    [third] = await user.press("下一题", message=second)
    assert third.text.startswith("📝 第 3/10 题")


async def test_an_old_cards_restart_drops_nothing(
    sim: Simulator, services: Services, content: Content
) -> None:
    """A pupils' pass: after 继续 on the card (您有一次未完成的答题), its 重新开始 stayed, and tapped later, far up
    the chat, it threw away the quiz carried on, three answers and all (every /quiz or /start shows another
    such card: a review). 继续 takes the card's buttons away, and a card older than the answers since
    drops nothing: it is shown again as it is now, to carry on or start again from there."""
    user = await registered(sim)
    first = await start_quiz(user)
    await answer(user, content, first, correctly=True)
    [old_card] = await user.send("/quiz")
    [card] = await user.send("/quiz")
    [second] = await user.press("继续", message=card)
    assert card.button_texts == [] and second.text.startswith("📝 第 2/10 题")
    await answer(user, content, second, correctly=True)
    await user.press("🔄 重新开始", message=old_card)  # shown at 2/10, the quiz is at 3/10 now
    assert old_card.text.startswith("您有一次未完成的答题（第 3/10 题）"), old_card.text
    assert await count(services, Attempt, Attempt.status == "open") == 1
    await user.press("🔄 重新开始", message=old_card)  # as it is now: the quiz is dropped, as asked
    assert await count(services, Attempt, Attempt.status == "open") == 0


async def test_restart_on_a_card_for_a_law_asked_opens_that_law(
    sim: Simulator, services: Services, content: Content
) -> None:
    """/quiz 教师法 or an old 练习 button during a quiz offers it to carry on; 🔄 重新开始 then opens the law
    asked for, where it had opened the list of all laws (a review), and a mock exam given up from such a card
    says so and goes on to it too."""
    user = await registered(sim)
    await start_quiz(user)
    [card] = await user.send("/quiz 教师法")
    assert card.text.startswith("您有一次未完成的答题")
    await user.press("🔄 重新开始", message=card)  # in the card's place
    assert card.text.startswith("《教师法》"), card.text
    modes = card
    await user.press(next(b for b in modes.button_texts if b.startswith("模拟考试")), message=modes)
    [old_button] = await user.send("/quiz 民法典")
    assert "模拟考试" in old_button.text
    [civil] = await user.press("🏳️ 放弃这场考试", message=old_button)
    assert old_button.text == "🏳️ 已放弃这场模拟考试。"
    assert civil.text.startswith("《民法典》") and "练习 10 题" in civil.button_texts
    first = await start_quiz(user)
    async with services.db.transaction() as session:
        open_id = await session.scalar(select(Attempt.id).where(Attempt.status == "open"))
    await user.press(0, message=first, data=f"quiz:rsf:{open_id}:0:no_such_law")  # forged: the law list
    assert first.text == "请选择要练习的法律：", first.text
    assert await count(services, Attempt, Attempt.status == "open") == 0


async def test_start_during_a_quiz_offers_to_carry_on_below_the_menu(sim: Simulator) -> None:
    """/start mid-quiz had shown the main menu alone (a pupils' pass)."""
    user = await registered(sim)
    await user.send("/quiz")
    await user.press("《宪法》")
    [first] = await user.press("练习 10 题")
    [menu, offered] = await user.send("/start")
    assert "普法助手" in menu.text and offered.text == "您有一次未完成的答题（第 1/10 题），要继续吗？"
    [again] = await user.press("▶️ 继续", message=offered)
    assert again.text == first.text


def test_a_mistake_book_longer_than_its_list_says_so(services: Services, content: Content) -> None:
    """A pupils' pass: the book said 错题本（11 题） and listed 10, and 重做错题 practised 10, without a word."""
    from bot.views import Speaker
    from bot.views.quiz import mistakes_text

    questions = list(content.questions.questions.values())
    long, short = (
        mistakes_text(Speaker(services, "zh"), questions[:11]),
        mistakes_text(Speaker(services, "zh"), questions[:3]),
    )
    assert "错题本（11 题）" in long and long.endswith("（这里列出前 10 题，重做错题每次练 10 题。）")
    assert "10. " in long and "11. " not in long
    assert "错题本（3 题）" in short and "列出前" not in short


async def test_two_taps_at_once_on_restart_for_the_mistakes_start_one_review(
    sim: Simulator, services: Services, content: Content
) -> None:
    """重新开始 on the card 重做错题 offered, tapped twice at once: the second tap found nothing left to drop and
    went on to the mistakes all the same, a second review dropping the first under the user's eyes."""
    user = await registered(sim)
    message = await start_quiz(user)
    await answer(user, content, message, correctly=False)
    [book] = await user.send("/mistakes")
    [asked] = await user.press("重做错题", message=book)
    tap = user.press_payload("🔄 重新开始", message=asked)["callback_query"]["data"]
    await asyncio.gather(user.press(0, message=asked, data=tap), user.press(0, message=asked, data=tap))
    assert await count(services, Attempt, Attempt.mode == "review") == 1
    assert await count(services, Attempt, Attempt.status == "open") == 1


async def test_stop_typed_after_an_exam_s_time_ran_out_gets_the_result_alone(
    sim: Simulator, content: Content, clock: Clock
) -> None:
    """交卷 or stop typed after a mock exam's time ran out, the expiry job not yet round: the result was shown,
    then the words were read as a question (这个问题我还答不上来 or the like) below it."""
    user = await registered(sim)
    first = await start_quiz(user, mode="模拟考试")
    await answer(user, content, first)
    clock.advance(minutes=16)
    replies = await user.send("交卷")
    assert [r.text for r in replies][1:] == [] and "时间到" in replies[0].text, [r.text for r in replies]

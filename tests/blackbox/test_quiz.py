"""A new user's first minutes, through `python -m bot run`: /start, registration by school search, a
practice quiz to its end; and a mock exam whose deadline passes."""

from __future__ import annotations

from bot.content.bundle import Content
from tests.blackbox.harness import Bot, RemoteSimulator, eventually
from tests.handlers.helpers import answer, registered


async def test_start_register_and_play_a_practice_quiz_to_its_end(
    bot: Bot, people: RemoteSimulator, content: Content
) -> None:
    await bot.start()
    user = people.user("小红")
    [menu] = await user.send("/start")
    assert "普法助手" in menu.text and menu.buttons
    [ask_role] = await user.send("/quiz")
    assert "身份" in ask_role.text
    await user.press("教职工")
    [found] = await user.send("城关中学")  # school search by name
    assert "城关中学" in found.button_texts[0]
    [laws] = await user.press(0)  # registered: on to the quiz that was asked for
    assert "宪法" in " ".join(laws.button_texts)
    await user.press("宪法", message=laws)
    [question] = await user.press("10 题")
    for number in range(10):
        assert question.text.startswith(f"📝 第 {number + 1}/10 题 · 《宪法》")
        right = number % 3 != 0  # wrong at questions 1, 4, 7 and 10
        await answer(user, content, question, correctly=right)
        assert ("✅ 回答正确" if right else "❌ 回答错误") in question.text  # feedback in place
        if number < 9:
            [question] = await user.press("下一题", message=question)
    summary = user.last.text
    assert "答题结束" in summary and "得分：60 分（答对 6/10 题）" in summary, summary


async def test_a_mock_exam_is_closed_by_its_deadline_and_a_late_answer_does_not_count(
    bot: Bot, people: RemoteSimulator, content: Content
) -> None:
    await bot.start(MOCK_EXAM_SECONDS="5")
    user = await registered(people)
    await user.send("/quiz")
    await user.press("《宪法》")
    [first] = await user.press("模拟考试")
    assert first.text.startswith("📝 第 1/20 题") and "交卷截止时间" in first.text
    [second] = await answer(user, content, first)
    assert "已作答" in first.text and "✅" not in first.text and "❌" not in first.text  # no feedback yet
    # nobody presses anything: the expiry job closes the attempt at its deadline and says so
    result = await eventually(
        lambda: "时间到" in (user.last.text or "") and user.last, 20, "the exam's result"
    )
    assert "得分：5 分" in result.text  # 1 of 20 right
    await answer(user, content, second)  # too late
    assert user.last_alert is not None and "已经结束" in user.last_alert["text"]
    assert user.last is result  # no second result
    [scores] = await user.send("/scores")
    assert "模拟考试：5 分（共 1 次）" in scores.text  # the late answer changed nothing

"""A reply that fails after its transaction committed loses nothing: a failed edit falls back to a new
message, one refused send does not stop the rest, and tapping again shows the attempt where it is."""

from __future__ import annotations

import asyncio

import pytest

from bot.content.bundle import Content
from bot.content.questions import QType
from bot.sim import Simulator, SimUser
from bot.sim.world import ApiError
from tests.conftest import Clock
from tests.handlers.helpers import answer, question_of, registered, right_buttons, wrong_button


async def start_exam(sim: Simulator, mode: str = "模拟考试") -> tuple:  # type: ignore[type-arg]
    """A registered user's quiz of 《宪法》 in `mode` (a button's words), and its first question."""
    user = await registered(sim)
    await user.send("/quiz")
    await user.press("《宪法》")
    [first] = await user.press(mode)
    return user, first


async def test_a_message_that_cannot_be_edited_is_sent_anew(sim: Simulator, content: Content) -> None:
    user = await registered(sim)
    await user.send("/quiz")
    await user.press("《宪法》")
    [question] = await user.press("10 题")
    sim.world.fail("editMessageText", ApiError("Bad Request: message to edit not found"))
    replies = await answer(user, content, question)
    feedback = [m for m in replies if "回答正确" in (m.text or "")]
    assert (
        feedback and feedback[-1].message_id != question.message_id
    )  # the feedback arrived as a new message
    assert any(label.startswith("下一题") for label in feedback[-1].button_texts)


@pytest.mark.parametrize(
    "error", [ApiError("Bad Gateway", 502), ApiError("Bad Request: message to edit not found")]
)
async def test_a_lost_reply_does_not_strand_an_exam(
    sim: Simulator, content: Content, clock: Clock, error: ApiError
) -> None:
    user, first = await start_exam(sim)
    sim.world.fail("editMessageText", error)  # the 已作答 mark is lost ...
    sim.world.fail("sendMessage", error, times=2)  # ... so is its fallback, and so is the next question
    await answer(user, content, first)
    assert not [m for m in user.private.bot_messages if (m.text or "").startswith("📝 第 2/20 题")]
    sim.world.failures.clear()  # Telegram is well again
    clock.advance(seconds=15)
    await answer(user, content, first)  # the user, seeing nothing come, taps again
    assert user.last_alert is not None and "已经作答" in user.last_alert["text"]
    assert user.last.text.startswith("📝 第 2/20 题")  # shown again, the exam goes on
    [second] = [m for m in user.private.bot_messages if (m.text or "").startswith("📝 第 2/20 题")]
    await answer(user, content, second)
    assert user.last.text.startswith("📝 第 3/20 题")


async def test_a_double_tap_sends_the_next_question_once(
    sim: Simulator, content: Content, clock: Clock
) -> None:
    """A pupils' exploratory pass: five taps at once sent the next question five times, each copy with live
    buttons. A second tap within seconds is the same tap; later, one shows where the exam is."""
    user, first = await start_exam(sim)
    while question_of(content, first).type is QType.multiple:  # a single tap answers it
        [*_, first] = await answer(user, content, first)
    tap = first.button(right_buttons(content, first)[0])["callback_data"]
    heading = first.text.split("\n")[0].split(" ")[2]  # 📝 第 1/20 题
    done, total = (int(n) for n in heading.split("/"))
    shown = f"📝 第 {done + 1}/{total} 题"

    def copies() -> int:
        return len([m for m in user.private.bot_messages if (m.text or "").startswith(shown)])

    await user.press(0, message=first, data=tap)
    await user.press(0, message=first, data=tap)  # the same tap again, at once
    assert user.last_alert is not None and "已经作答" in user.last_alert["text"]
    assert copies() == 1
    clock.advance(seconds=15)
    await user.press(0, message=first, data=tap)  # an old button, later: where the exam is
    assert copies() == 2


async def start_practice(sim: Simulator) -> tuple:  # type: ignore[type-arg]
    return await start_exam(sim, "10 题")


def copies(user, heading: str) -> int:  # type: ignore[no-untyped-def]
    """Messages showing the question headed `heading` (its feedback, edited in place, included)."""
    return len([m for m in user.private.bot_messages if (m.text or "").startswith(heading)])


async def test_a_practice_question_lost_comes_with_the_next_press_of_next(
    sim: Simulator, content: Content, clock: Clock
) -> None:
    """A robustness pass: 下一题 pressed while Telegram answered 502 had taken its row off the feedback and
    sent nothing, and the same 下一题 pressed again sent nothing either (the question counted as sent). The row
    stays until the question arrives, and a press a while later sends it again."""
    user, first = await start_practice(sim)
    await answer(user, content, first)
    following = first.button("下一题")["callback_data"]
    sim.world.fail("sendMessage", ApiError("Bad Gateway", 502))
    assert await user.press("下一题", message=first) == []
    assert "下一题 ›" in first.button_texts  # something to press still
    clock.advance(seconds=5)
    assert await user.press("下一题", message=first) == []  # within seconds: the same tap, not sent again
    clock.advance(seconds=6)
    # pressed again, twice at once: sent again once (a review: each tap had sent it)
    taps = [SimUser(sim, user.data) for _ in range(2)]
    await asyncio.gather(*(tap.press(0, message=first, data=following) for tap in taps))
    assert copies(user, "📝 第 2/10 题") == 1
    [second] = [m for m in user.private.bot_messages if (m.text or "").startswith("📝 第 2/10 题")]
    assert "下一题 ›" not in first.button_texts
    await answer(user, content, second)
    assert "回答" in second.text and "下一题 ›" in second.button_texts
    clock.advance(seconds=15)
    assert await user.press(0, message=first, data=following) == []  # answered: an old 下一题 sends nothing
    assert copies(user, "📝 第 2/10 题") == 1


async def test_next_tapped_twice_within_seconds_sends_one_question(
    sim: Simulator, content: Content, clock: Clock
) -> None:
    user, first = await start_practice(sim)
    await answer(user, content, first)
    following = first.button("下一题")["callback_data"]
    await user.press(0, message=first, data=following)
    clock.advance(seconds=9)
    await user.press(0, message=first, data=following)  # the row had not yet gone from the user's screen
    assert copies(user, "📝 第 2/10 题") == 1


async def test_a_lost_practice_feedback_is_shown_again_on_a_later_tap(
    sim: Simulator, content: Content, clock: Clock
) -> None:
    """A robustness pass: when the feedback was lost, tapping an option again had got only 这道题已经作答过了,
    and no 下一题 to go on with."""
    user, question = await start_practice(sim)
    while question_of(content, question).type is QType.multiple:  # one tap answers the question
        await answer(user, content, question)
        [question] = await user.press("下一题", message=question)
    heading = question.text.split("\n")[0]
    tap = question.button(right_buttons(content, question)[0])["callback_data"]
    sim.world.fail("editMessageText", ApiError("Bad Gateway", 502))
    await user.press(0, message=question, data=tap)
    assert "回答正确" not in question.text  # nothing came
    await user.press(0, message=question, data=tap)  # again at once: the same tap, the toast alone
    assert user.last_alert is not None and "已经作答" in user.last_alert["text"]
    assert "回答正确" not in question.text and copies(user, heading) == 1
    clock.advance(seconds=15)
    other = question.button(wrong_button(content, question))["callback_data"]
    await user.press(0, message=question, data=other)  # any option: the answer kept is what is shown
    assert user.last_alert is not None and "已经作答" in user.last_alert["text"]
    assert "✅ 回答正确" in question.text and "下一题 ›" in question.button_texts
    [following] = await user.press("下一题", message=question)
    assert following.text.startswith("📝 第 ") and "下一题 ›" not in question.button_texts
    clock.advance(seconds=15)
    assert await user.press(0, message=question, data=tap) == []  # the next question is out: the toast alone
    assert user.last_alert is not None and "已经作答" in user.last_alert["text"]
    assert "下一题 ›" not in question.button_texts and copies(user, heading) == 1

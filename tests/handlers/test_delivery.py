"""A reply that fails after its transaction committed loses nothing: a failed edit falls back to a new
message, one refused send does not stop the rest, and tapping again shows the attempt where it is."""

from __future__ import annotations

import pytest

from bot.content.bundle import Content
from bot.content.questions import QType
from bot.sim import Simulator
from bot.sim.world import ApiError
from tests.conftest import Clock
from tests.handlers.helpers import answer, question_of, registered, right_buttons


async def start_exam(sim: Simulator) -> tuple:  # type: ignore[type-arg]
    user = await registered(sim)
    await user.send("/quiz")
    await user.press("《宪法》")
    [first] = await user.press("模拟考试")
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

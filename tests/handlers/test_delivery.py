"""A reply that fails after its transaction committed loses nothing: a failed edit falls back to a new
message, one refused send does not stop the rest, and tapping again shows the attempt where it is."""

from __future__ import annotations

import pytest

from bot.content.bundle import Content
from bot.sim import Simulator
from bot.sim.world import ApiError
from tests.handlers.helpers import answer, registered


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
    sim: Simulator, content: Content, error: ApiError
) -> None:
    user, first = await start_exam(sim)
    sim.world.fail("editMessageText", error)  # the 已作答 mark is lost ...
    sim.world.fail("sendMessage", error, times=2)  # ... so is its fallback, and so is the next question
    await answer(user, content, first)
    assert not [m for m in user.private.bot_messages if (m.text or "").startswith("📝 第 2/20 题")]
    sim.world.failures.clear()  # Telegram is well again
    await answer(user, content, first)  # the user taps again
    assert user.last_alert is not None and "已经作答" in user.last_alert["text"]
    assert user.last.text.startswith("📝 第 2/20 题")  # shown again, the exam goes on
    [second] = [m for m in user.private.bot_messages if (m.text or "").startswith("📝 第 2/20 题")]
    await answer(user, content, second)
    assert user.last.text.startswith("📝 第 3/20 题")

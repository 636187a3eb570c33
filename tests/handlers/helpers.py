"""Helpers for end-to-end tests: registered users and reading quiz messages as a person would."""

from __future__ import annotations

import re

from bot.content.bundle import Content
from bot.content.questions import QType, Question
from bot.runtime import Services
from bot.sim import SimMessage, Simulator, SimUser

STEM = re.compile(r"】(.+)")


async def registered(sim: Simulator, role: str = "教职工", name: str = "王老师") -> SimUser:
    user = sim.user(name)
    await user.send("/profile")
    await user.press(role)
    await user.send("城关中学" if role == "教职工" else "城关一小")
    await user.press(0)
    if role == "学生":
        await user.press("五年级")
        await user.press("1班")
    return user


def question_of(content: Content, message: SimMessage) -> Question:
    stem = STEM.search(message.text or "")
    assert stem, message.text
    found = [q for q in content.questions.questions.values() if q.stem == stem.group(1).strip()]
    assert len(found) == 1, stem.group(1)
    return found[0]


def displayed_options(message: SimMessage, question: Question) -> list[str]:
    if question.type is QType.judge:
        return ["对", "错"]
    return [line[3:] for line in (message.text or "").splitlines() if re.match(r"^[A-F]\. ", line)]


def right_buttons(content: Content, message: SimMessage) -> list[int]:
    """Indices of the buttons a person who knows the law would tick (displayed order)."""
    question = question_of(content, message)
    options = displayed_options(message, question)
    right = {question.choices[i] for i in question.correct}
    return [i for i, text in enumerate(options) if text in right]


def wrong_button(content: Content, message: SimMessage) -> int:
    question = question_of(content, message)
    options = displayed_options(message, question)
    right = {question.choices[i] for i in question.correct}
    return next(i for i, text in enumerate(options) if text not in right)


async def answer(
    user: SimUser, content: Content, message: SimMessage, correctly: bool = True
) -> list[SimMessage]:
    """Answer the question in `message` by pressing its buttons, as a person would."""
    question = question_of(content, message)
    if question.type is QType.multiple:
        picks = right_buttons(content, message) if correctly else [wrong_button(content, message)]
        for index in picks:
            await user.press(index, message=message)
        return await user.press("提交", message=message)
    index = right_buttons(content, message)[0] if correctly else wrong_button(content, message)
    return await user.press(index, message=message)


async def take_staff_exam(sim: Simulator, services: Services, user: SimUser, right: int) -> None:
    """The staff law exam's 25 questions, the first `right` of them answered right."""
    await user.send("/campaign")
    await user.press("学法考试")
    [question] = (await user.press("开始答题"))[-1:]
    for number in range(25):
        sent = await answer(user, services.content, question, correctly=number < right)
        if number < 24:
            question = sent[-1]


async def run_job(sim: Simulator, name: str) -> None:
    """Run the periodic job `name` once, as its scheduler would: the job object scheduled at start-up."""
    assert sim.app.job_queue is not None
    [job] = sim.app.job_queue.get_jobs_by_name(name)
    await job.run(sim.app)

"""Helpers for end-to-end tests: registered users and reading quiz messages as a person would."""

from __future__ import annotations

import re

from bot.content.bundle import Content
from bot.content.questions import QType, Question
from bot.runtime import Services
from bot.sim import SimMessage, Simulator, SimUser
from bot.sim.world import ChatInfo
from tests.conftest import ADMIN_ID

STEM = re.compile(r"】(.+)")
CURATORS = -1000000000099  # the curators' group: questions the FAQ cannot answer are passed to it


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


async def school_admin(sim: Simulator, school: str = "cg-p1") -> SimUser:
    """A head granted `school` by the super admin."""
    head = sim.user("校长")
    await head.send("/myid")  # as they learn the id to pass on
    await sim.user("管理员", user_id=ADMIN_ID).send(f"/grant {head.id} school {school}")
    return head


def with_curators(sim: Simulator, services: Services) -> None:
    """A curators' group configured, and known to the simulated Telegram."""
    services.settings = services.settings.model_copy(update={"curator_chat_id": CURATORS})
    sim.world.chats[CURATORS] = ChatInfo(CURATORS, "supergroup", title="招生答疑")


async def curator_replies(sim: Simulator, curator: SimUser, text: str) -> SimMessage:
    """`curator` replies with `text` to the question last posted in the curators' group; returns what
    the bot then posts there (the offer to add the question's wording to an entry)."""
    reply = curator.message_payload(text, chat=None)
    reply["message"]["chat"] = {"id": CURATORS, "type": "supergroup", "title": "招生答疑"}
    reply["message"]["reply_to_message"] = sim.world.message_dict(sim.world.bot_messages(CURATORS)[-1])
    await sim.deliver(reply)
    return sim.world.bot_messages(CURATORS)[-1]

"""Certificates end to end: what a pupil or a teacher who passed is given (the words handed to the
renderer are checked; the picture itself is tested in tests/render/test_graphics.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import pytest

from bot.render.certificate import certificate_png
from bot.runtime import Services
from bot.sim import Simulator, SimUser
from bot.workers import Workers
from tests.handlers.helpers import answer, registered
from tests.handlers.test_campaigns import pupil, take_contest

P = ParamSpec("P")
R = TypeVar("R")


class RecordingWorkers(Workers):
    """Runs work in threads of this process and keeps the keyword arguments of every certificate."""

    def __init__(self) -> None:
        super().__init__(processes=0)
        self.certificates: list[dict[str, Any]] = []

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        if fn is certificate_png:
            self.certificates.append(dict(kwargs))
        return await asyncio.to_thread(fn, *args, **kwargs)


@pytest.fixture
def drawn(services: Services) -> list[dict[str, Any]]:
    """The certificates drawn in this test, as the renderer was asked to draw them."""
    workers = RecordingWorkers()
    services.workers = workers
    return workers.certificates


async def take_staff_exam(sim: Simulator, services: Services, user: SimUser, right: int) -> None:
    await user.send("/campaign")
    await user.press("学法考试")
    [question] = (await user.press("开始答题"))[-1:]
    for number in range(25):
        sent = await answer(user, services.content, question, correctly=number < right)
        if number < 24:
            question = sent[-1]


async def ask_certificate(user: SimUser, name: str) -> None:
    await user.press("领取证书", message=user.last)
    await user.send(name)
    assert user.last.photo is not None


async def test_a_pupil_is_addressed_as_a_pupil(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    student = await pupil(sim, "张三")
    await take_contest(sim, services, student, right=14)
    await ask_certificate(student, "张三")
    [certificate] = drawn
    assert certificate["role"] == "student" and certificate["name"] == "张三"


async def test_a_pupils_certificate_names_their_school_and_class(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    student = await pupil(sim, "李四")
    await take_contest(sim, services, student, right=12)
    await ask_certificate(student, "李四")
    [certificate] = drawn
    assert certificate["school"] == "城关第一小学" and certificate["class_label"] == "五年级1班"


async def test_a_teacher_is_addressed_as_a_teacher(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    teacher = await registered(sim, role="教职工", name="王老师")
    await take_staff_exam(sim, services, teacher, right=20)
    await ask_certificate(teacher, "王芳")
    [certificate] = drawn
    assert certificate["role"] == "staff" and certificate["name"] == "王芳"
    assert certificate["school"] == "城关中学" and certificate["class_label"] == ""  # staff: the school only

"""Certificates end to end: what a pupil or a teacher who passed is given (the words handed to the
renderer are checked; the picture itself is tested in tests/render/test_graphics.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import pytest
from sqlalchemy import select

from bot.db.models import CertificateRecord
from bot.render.certificate import body_text, certificate_png
from bot.runtime import Services
from bot.sim import SimMessage, Simulator, SimUser
from bot.workers import Workers
from tests.conftest import ADMIN_ID
from tests.handlers.helpers import registered, take_staff_exam
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


async def ask_certificate(user: SimUser, name: str, summary: SimMessage | None = None) -> None:
    """Press 领取证书 under the results (`summary`, else the last message) and type the name."""
    await user.press("领取证书", message=summary or user.last)
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
    # while site.yaml's bureau is the shipped sample, the issuer is any district's (a teachers' pass: 示例区教育局)
    assert certificate["issuer"] == "区教育局"


async def register(services: Services) -> list[CertificateRecord]:
    async with services.db.transaction() as session:
        return list((await session.scalars(select(CertificateRecord))).all())


async def test_a_certificate_carries_a_code_that_an_admin_can_verify_without_seeing_a_name(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    student = await pupil(sim, "张三")
    await take_contest(sim, services, student, right=14)
    summary = student.last
    await ask_certificate(student, "张小三")
    await ask_certificate(student, "张小三", summary)  # asked again: the same code
    first, second = drawn
    code = first["code"]
    assert len(code) == 8 and second["code"] == code
    [row] = await register(services)
    assert (row.code, row.user_id, row.score, row.level) == (code, student.id, 93, "excellent")

    admin = sim.user("管理员", user_id=ADMIN_ID)
    [shown] = await admin.send(f"/verify {code.lower()}")
    assert f"证书 {code} 真实有效" in shown.text and "宪法宣传周" in shown.text
    assert "93 分（优秀）" in shown.text and "2026-12-01" in shown.text
    assert "城关第一小学 五年级1班" in shown.text and "张" not in shown.text  # no name, typed or registered
    [unknown] = await admin.send("/verify ZZZZ9999")
    assert "没有找到" in unknown.text
    [usage] = await admin.send("/verify")
    assert "用法" in usage.text


async def test_only_admins_verify_and_only_within_their_grant(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    student = await pupil(sim, "李四")  # 城关第一小学 (cg-p1)
    await take_contest(sim, services, student, right=12)
    await ask_certificate(student, "李四")
    code = drawn[0]["code"]
    for someone in (sim.user("路人"), student):
        [refused] = await someone.send(f"/verify {code}")
        assert "只有管理员" in refused.text
    admin = sim.user("管理员", user_id=ADMIN_ID)
    own, other = sim.user("一小校长"), sim.user("二小校长")
    for head in (own, other):
        await head.send("/myid")
    await admin.send(f"/grant {own.id} school cg-p1")
    await admin.send(f"/grant {other.id} school cg-p2")
    [shown] = await own.send(f"/verify {code}")
    assert "真实有效" in shown.text
    [hidden] = await other.send(f"/verify {code}")
    assert "没有找到" in hidden.text and "真实有效" not in hidden.text
    await admin.send(f"/verify {code}")
    [audit] = await own.send("/audit")  # the school's log: its own check, and the district's of its pupil
    assert audit.text.count(f"· 核验证书 · {code}") == 2
    [audit] = await other.send("/audit")
    assert "verify" not in audit.text


async def test_deleteme_erases_the_users_certificates(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    student = await pupil(sim, "王五")
    await take_contest(sim, services, student, right=12)
    await ask_certificate(student, "王五")
    assert len(await register(services)) == 1
    [asked] = await student.send("/deleteme")
    assert "证书将无法再查验" in asked.text  # said before, as a pupils' pass found it only after
    await student.press("确认删除")
    assert await register(services) == []
    [gone] = await sim.user("管理员", user_id=ADMIN_ID).send(f"/verify {drawn[0]['code']}")
    assert "没有找到" in gone.text


async def test_cancel_at_the_name_prompt_makes_no_certificate(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    """A teachers' pass: 取消 typed at the prompt was printed on a certificate (as Qu Xiao, with no font)."""
    teacher = await registered(sim, role="教职工", name="王老师")
    await take_staff_exam(sim, services, teacher, right=20)
    summary = teacher.last
    await teacher.press("领取证书", message=summary)
    [cancelled] = await teacher.send("取消")
    assert "已取消" in cancelled.text and not drawn
    [answer] = await teacher.send("孩子几岁上小学")  # the prompt is gone: text is a question again
    assert answer.text.startswith("❓")
    await ask_certificate(teacher, "王芳", summary)
    assert [c["name"] for c in drawn] == ["王芳"]


async def test_an_insult_or_a_number_is_not_printed_on_a_certificate(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    """A pupils' pass (December 7): 傻逼 and a phone number were printed on certificates, which /name refuses."""
    teacher = await registered(sim, role="教职工", name="王老师")
    await take_staff_exam(sim, services, teacher, right=20)
    await teacher.press("领取证书", message=teacher.last)
    for unfit in ("傻逼", "13812345678"):
        [refused] = await teacher.send(unfit)
        assert "请重新输入名字" in refused.text
    assert not drawn
    await teacher.send("王芳")  # the prompt stayed: the next name typed is printed
    assert [c["name"] for c in drawn] == ["王芳"]


async def test_an_english_teachers_certificate_is_in_english(
    sim: Simulator, services: Services, drawn: list[dict[str, Any]]
) -> None:
    """An English teacher's pass: the certificate named the exam by its Chinese title (spelt 2026 Nian Du Jiao Zhi
    Gong Xue Fa Kao Shi without a Chinese font) and, with one, was all Chinese but for its level:
    在「2026年度教职工学法考试」中成绩 80 分，评为「Pass」. Now it names the exam in English and is worded in
    English, the school's name in Chinese where a font draws it."""
    teacher = await registered(sim, role="教职工", name="Tom")
    await take_staff_exam(sim, services, teacher, right=20)
    await teacher.send("/language en")
    await teacher.send("/campaign")
    await teacher.press("2026 staff law exam")
    await teacher.press("Certificate")
    await teacher.send("Tom Smith")
    assert teacher.last.photo is not None and teacher.last.caption == "🎓 Your certificate."
    [certificate] = drawn
    assert certificate["campaign"] == "2026 staff law exam" and certificate["level"] == "Pass"
    assert certificate["language"] == "en"
    words = {
        k: certificate[k] for k in ("name", "role", "campaign", "score", "level", "school", "class_label")
    }
    assert body_text(cjk=True, english=True, **words) == (
        "This certifies that Tom Smith (城关中学) scored 80 in the 2026 staff law exam: Pass."
    )

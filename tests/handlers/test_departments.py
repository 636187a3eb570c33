"""Staff departments end to end: a teacher of a school that lists departments (城关第一小学: 语文组, 数学组,
英语组, 综合组, 行政, 后勤) picks one, or skips it, right after the school; a school without a list
(城关中学) never asks; forged or stale department buttons are refused; /profile changes or clears it,
/deleteme erases it; /stats drill-downs, the export's 班级 sheet and /missing group staff by it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.db.models import User
from bot.domain import Role
from bot.runtime import Services
from bot.sim import Simulator, SimUser
from tests.conftest import ADMIN_ID
from tests.handlers.helpers import school_admin, take_staff_exam
from tests.services.helpers import add_user, finished_attempt

EXAM = "staff-law-exam-2026"  # staff, open from 16 November to 31 December
DEPARTMENTS = ["语文组", "数学组", "英语组", "综合组", "行政", "后勤"]


async def stored(services: Services, user_id: int) -> User | None:
    async with services.db.transaction() as session:
        return await session.get(User, user_id)


async def teacher_at(sim: Simulator, name: str, search: str = "城关一小") -> SimUser:
    """A teacher who has chosen their role and school (found by name), and was asked what comes next."""
    user = sim.user(name)
    await user.send("/profile")
    await user.press("教职工")
    await user.send(search)
    await user.press(0)
    return user


async def test_a_teacher_picks_a_department_and_the_drill_down_shows_it(
    sim: Simulator, services: Services
) -> None:
    teacher = await teacher_at(sim, "王老师")
    asked = teacher.last
    assert "城关第一小学：请选择您所在的教研组或部门" in asked.text
    assert asked.button_texts == [*DEPARTMENTS, "不填"]
    await teacher.press("语文组")
    done = teacher.last  # the question, edited into the summary
    assert "登记完成" in done.text and "部门：语文组" in done.text
    user = await stored(services, teacher.id)
    assert user is not None and user.registered and user.department == "语文组"
    await take_staff_exam(sim, services, teacher, right=20)  # 80 points
    async with services.db.transaction() as session:  # a colleague who gave no department took it too
        await add_user(session, 9101, Role.staff, "cg-p1")
        session.add(finished_attempt(9101, EXAM, 60, 900))
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [drill] = await admin.send(f"/stats school cg-p1 {EXAM}")
    whole, *rows, _, silent = drill.text.splitlines()[1:]
    # the school as a whole first (an admins' pass: there had been no total), with the 128 staff it has
    assert whole.startswith("全校：参考 2（参考率 1.6%），完成 2")
    # best mean first; beside the departments, the staff row is those who gave none (an admins' pass had
    # read 教职工 there as the whole staff)
    assert [row.split("：")[0] for row in rows] == ["教职工·语文组", "教职工（未填部门）"]
    # … and the departments nobody in took the exam (数学组 had gone unmentioned)
    assert silent.startswith("尚无人参考的部门（") and "教职工·数学组" in silent and "语文组" not in silent
    assert rows[0].startswith("教职工·语文组：参考 1（参考率 —），完成 1，通过率 100.0%")
    # the school's 128 staff are of all its departments: no group's rate is known once they are split
    assert rows[1].startswith("教职工（未填部门）：参考 1（参考率 —）")
    assert "None" not in drill.text

    # a school admin's own school is not ranked against itself (an admins' pass: 平均分最高的学校, one row)
    [own] = await (await school_admin(sim)).send(f"/stats {EXAM}")
    assert "参考 2 人" in own.text and "平均分最高的学校" not in own.text

    [workbook, _] = await admin.send(f"/export {EXAM}")
    book = load_workbook(io.BytesIO(sim.world.files[workbook.document["file_id"]]))  # type: ignore[index]
    classes = list(book["班级"].values)
    assert [row[:3] for row in classes[1:]] == [
        ("城关第一小学 教职工·语文组", 1, None),
        ("城关第一小学 教职工（未填部门）", 1, None),
    ]
    # the department names a group of the 班级 sheet, never a column beside a person in the register
    cells = [str(cell) for sheet in book for row in sheet.values for cell in row]
    assert [cell for cell in cells if "语文组" in cell] == ["城关第一小学 教职工·语文组"]


async def test_rank_lists_the_schools_staff_groups_beside_its_classes(
    sim: Simulator, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staff campaign with a leaderboard: 本校各班 names the staff groups as the reports do (it could not
    read a class out of a staff group's key)."""
    exam = services.content.campaigns[EXAM]
    monkeypatch.setitem(services.content.campaigns, EXAM, exam.model_copy(update={"leaderboard": True}))
    teacher = await teacher_at(sim, "王老师")
    await teacher.press("语文组")
    await take_staff_exam(sim, services, teacher, right=20)
    [rank] = await teacher.send(f"/rank {EXAM}")
    # one teacher's mean is their score: shown once three took part (an admins' pass, on pupils' boards)
    assert "城关第一小学 教职工·语文组：参与 1 人（参与率 暂无数据），满 3 人后显示平均分" in rank.text


async def test_skipping_keeps_no_department(sim: Simulator, services: Services) -> None:
    teacher = await teacher_at(sim, "李老师")
    await teacher.press("不填")
    done = teacher.last
    assert "登记完成" in done.text and "部门" not in done.text
    user = await stored(services, teacher.id)
    assert user is not None and user.registered and user.department is None
    [profile] = await teacher.send("/profile")
    assert "部门：" not in profile.text and "修改或清除部门" in profile.button_texts


async def test_a_school_without_departments_never_asks(sim: Simulator, services: Services) -> None:
    teacher = await teacher_at(sim, "赵老师", search="城关中学")
    assert "登记完成" in teacher.last.text and "不填" not in teacher.last.button_texts
    [profile] = await teacher.send("/profile")
    assert "修改或清除部门" not in profile.button_texts
    user = await stored(services, teacher.id)
    assert user is not None and user.registered and user.department is None


async def test_a_school_without_departments_nobody_took_the_exam_at_is_told_so(sim: Simulator) -> None:
    """城关中学 lists no departments: with nobody through the staff exam its drill-down had said the exam was not
    for its staff (an admins' pass); it names its staff as the group nobody took it in, and a pupils'
    contest names classes only."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [drill] = await admin.send(f"/stats school 城关中学 {EXAM}")
    lines = drill.text.splitlines()
    assert (
        lines[1].startswith("全校：参考 0（参考率 0.0%）") and lines[-1] == "尚无人参考的部门（1 个）：教职工"
    )
    assert "不面向" not in drill.text
    [pupils] = await admin.send("/stats school 城关中学 constitution-day-2026")
    assert pupils.text.splitlines()[-1].startswith("尚无人参与的班级（")


async def test_forged_and_stale_department_buttons_are_refused_and_store_nothing(
    sim: Simulator, services: Services
) -> None:
    teacher = await teacher_at(sim, "钱老师")
    question = teacher.last
    for forged in [
        "reg:dept:cg-p1:7",  # 城关第一小学 lists six
        "reg:dept:cg-p1:99999999999999",
        "reg:dept:cg-p1:-1",
        "reg:dept:cg-p1:语文组",  # a value, not a number
        "reg:dept:cg-s1:1",  # another school's list
        "reg:dept:cg-j1:0",  # a school without one
        "reg:dept:cg-p1",
    ]:
        await teacher.press(0, message=question, data=forged)
        assert teacher.last_alert is not None and "失效" in teacher.last_alert["text"], forged
    user = await stored(services, teacher.id)
    assert user is not None and user.department is None and not user.registered

    pupil = sim.user("小明")  # a pupil of the same school is never asked, and cannot answer
    await pupil.send("/profile")
    await pupil.press("学生")
    await pupil.send("城关一小")
    await pupil.press(0)
    await pupil.press(0, data="reg:dept:cg-p1:1")
    assert pupil.last_alert is not None and "失效" in pupil.last_alert["text"]
    student = await stored(services, pupil.id)
    assert student is not None and student.department is None

    # a teacher who moved to 城关中学 presses the old school's button: refused, nothing stored
    stale = question.button("数学组")["callback_data"]
    await teacher.press("不填", message=question)
    await teacher.send("/profile")
    await teacher.press("修改学校")
    await teacher.send("城关中学")
    await teacher.press(0)
    await teacher.press(0, data=stale)
    assert teacher.last_alert is not None and "失效" in teacher.last_alert["text"]
    user = await stored(services, teacher.id)
    assert user is not None and (user.school_id, user.department) == ("cg-j1", None) and user.registered


async def test_profile_changes_and_clears_the_department_and_deleteme_erases_it(
    sim: Simulator, services: Services
) -> None:
    teacher = await teacher_at(sim, "孙老师")
    await teacher.press("数学组")
    [profile] = await teacher.send("/profile")
    assert "部门：数学组" in profile.text
    await teacher.press("修改或清除部门")
    assert teacher.last.button_texts == [*DEPARTMENTS, "不填", "取消修改"]
    await teacher.press("后勤")
    done = teacher.last
    assert "部门：后勤" in done.text
    user = await stored(services, teacher.id)
    assert user is not None and user.department == "后勤" and user.registered
    await teacher.send("/profile")
    await teacher.press("修改或清除部门")
    await teacher.press("不填")
    user = await stored(services, teacher.id)
    assert user is not None and user.department is None and user.registered

    await teacher.send("/profile")
    await teacher.press("修改或清除部门")
    await teacher.press("英语组")
    await teacher.send("/deleteme")
    await teacher.press("确认删除")
    assert await stored(services, teacher.id) is None
    await teacher.send("/start")  # back again: a new row, nothing remembered
    user = await stored(services, teacher.id)
    assert user is not None and user.department is None and user.school_id is None


async def test_missing_counts_a_schools_staff_by_department(sim: Simulator, services: Services) -> None:
    teachers = {}
    for name, department in (
        ("周老师", "语文组"),
        ("吴老师", "语文组"),
        ("郑老师", "数学组"),
        ("冯老师", "不填"),
    ):
        teachers[name] = await teacher_at(sim, name)
        await teachers[name].press(department)
    async with services.db.transaction() as session:
        session.add(finished_attempt(teachers["周老师"].id, EXAM, 90, 600))
    head = await school_admin(sim)
    [missing] = await head.send(f"/missing {EXAM}")
    lines = missing.text.splitlines()
    assert "教职工，按部门（未参与的在前）：" in lines
    assert lines[lines.index("教职工，按部门（未参与的在前）：") + 1 :] == [
        "城关第一小学 教职工（未填部门）：已登记 1，参与 0，未参与 1",
        "城关第一小学 教职工·数学组：已登记 1，参与 0，未参与 1",
        "城关第一小学 教职工·语文组：已登记 2，参与 1，未参与 1",
    ]


async def test_a_command_at_the_department_question_asks_it_again(sim: Simulator, services: Services) -> None:
    """/profile sent at the department question had registered the teacher without one (a teachers' pass):
    the question is asked again, and 不填 still registers them without one."""
    teacher = await teacher_at(sim, "赵老师")
    [again] = await teacher.send("/profile")
    assert "请选择您所在的教研组或部门" in again.text and again.button_texts == [*DEPARTMENTS, "不填"]
    user = await stored(services, teacher.id)
    assert user is not None and not user.registered
    await teacher.press("不填", message=again)
    user = await stored(services, teacher.id)
    assert user is not None and user.registered and user.department is None

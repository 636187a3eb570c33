"""/missing and /remind, end to end: a class teacher sees who in the class has not finished (by 学号, or
display name) and how many roster numbers never joined; a school admin per-class counts; the district
per school with schools where nobody took part first; reminders at most once a day, through the broadcast
job; and refusals outside a grant."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import AuditEntry, AuditSchool, Broadcast, Reminder
from bot.domain import Role
from bot.runtime import Services
from bot.sim import Simulator, SimUser
from tests.conftest import ADMIN_ID, Clock
from tests.handlers.helpers import run_job, school_admin
from tests.handlers.test_membership import class_teacher, join_link
from tests.services.helpers import add_user, finished_attempt

CAMPAIGN = "constitution-day-2026"  # pupils of grades 3-12, open from 1 to 7 December


async def class_with_two_pupils(sim: Simulator, services: Services) -> tuple[SimUser, SimUser, SimUser]:
    """城关第一小学 5-1: a roster of three numbers, two pupils joined by link, one of them finished."""
    teacher = await class_teacher(sim)
    await teacher.send("/roster")
    await teacher.send_document("roster.csv", b"20230101\n20230102\n20230103\n")
    payload = await join_link(teacher)
    done, pending = sim.user("小红"), sim.user("小明")
    for pupil, number in ((done, "20230101"), (pending, "20230102")):
        await pupil.send(f"/start {payload}")
        await pupil.send(number)
    async with services.db.transaction() as session:
        session.add(finished_attempt(done.id, CAMPAIGN, 80, 300))
        await add_user(session, 9001, Role.student, "cg-p1", 5, 2, name="小刚")  # another class, not finished
        await add_user(session, 9002, Role.student, "dc-p1", 5, 1)
        session.add(finished_attempt(9002, CAMPAIGN, 90, 300))  # 东城小学 has taken part
    return teacher, done, pending


async def test_missing_for_a_class_teacher_a_school_admin_and_the_district(
    sim: Simulator, services: Services
) -> None:
    teacher, done, pending = await class_with_two_pupils(sim, services)
    [shown] = await teacher.send("/missing")
    assert "已登记 2 人，已参与 1 人，未参与 1 人" in shown.text
    assert "未参与：20230102" in shown.text and "20230101" not in shown.text
    assert "名单中还有 1 个学号没有加入：20230103" in shown.text  # which (it gave their count only)
    assert "小刚" not in shown.text  # another class

    head = await school_admin(sim)
    [school] = await head.send(f"/missing {CAMPAIGN}")
    lines = school.text.splitlines()
    assert "城关第一小学 5年级2班：已登记 1，参与 0，未参与 1" in lines
    assert "城关第一小学 5年级1班：已登记 2，参与 1，未参与 1" in lines
    assert lines.index("城关第一小学 5年级2班：已登记 1，参与 0，未参与 1") < lines.index(
        "城关第一小学 5年级1班：已登记 2，参与 1，未参与 1"
    )
    assert "20230102" not in school.text  # numbers stay with the class teacher

    admin = sim.user("管理员", user_id=ADMIN_ID)
    [district] = await admin.send("/missing")
    rows = [line for line in district.text.splitlines() if "应参加" in line]
    assert len(rows) == 24  # every school with pupils of grades 3-12, including those nobody joined from
    assert not any("幼儿园" in line for line in rows)
    zero = [i for i, line in enumerate(rows) if line.split("：")[1].startswith("参与 0 ")]
    assert zero == list(range(len(zero))) and len(zero) == 22  # the schools where nobody took part come first
    # the contest is for grades 3-12: of 城关第一小学's 2150 pupils, grades 3-6 (356+358+360+374 in schools.yaml)
    assert any(line.startswith("城关第一小学：参与 1 / 应参加 1448（0.1%）") for line in rows)
    # a school with no per-grade counts: its figure is a share of its pupils, marked so as /stats marks it
    assert any("应参加 ≈" in line for line in rows) and "≈：应参与人数是估算的" in district.text


async def test_missing_and_remind_are_refused_outside_a_grant(sim: Simulator) -> None:
    outsider = sim.user("路人")
    for command in ("/missing", "/remind"):
        [refused] = await outsider.send(command)
        assert refused.text == "这个命令只有管理员可以使用。"
    teacher = await class_teacher(sim)
    [unknown] = await teacher.send("/missing no-such-campaign")
    assert "没有找到这个活动" in unknown.text and "staff-law-exam-2026（" in unknown.text


async def test_remind_reaches_those_who_have_not_finished_once_a_day(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    teacher, done, pending = await class_with_two_pupils(sim, services)
    [queued] = await teacher.send("/remind")
    assert "正在向 1 位" in queued.text
    await run_job(sim, "broadcasts")
    # the campaign's own reminder text, under the heading every broadcast has
    assert pending.last.text.startswith("📢 通知\n\n宪法宣传周法治知识竞赛正在进行")
    assert "宪法宣传周" not in done.last.text
    assert teacher.last.text.startswith("群发完成（「宪法宣传周")  # which one: the reminder's start
    assert (
        "已送达 1 人，0 人已屏蔽机器人，0 人失败。" in teacher.last.text
        and "状态不明" not in teacher.last.text
    )
    [again] = await teacher.send("/remind")
    assert "没有需要提醒的人" in again.text  # reminded today already
    await run_job(sim, "broadcasts")
    assert sum(1 for m in pending.private.bot_messages if "宪法宣传周法治知识竞赛" in (m.text or "")) == 1

    clock.advance(days=1)
    [next_day] = await teacher.send("/remind")
    assert "正在向 1 位" in next_day.text
    await run_job(sim, "broadcasts")
    assert sum(1 for m in pending.private.bot_messages if "宪法宣传周法治知识竞赛" in (m.text or "")) == 2
    async with services.db.transaction() as session:
        reminded = (await session.scalars(select(Reminder.user_id))).all()
        assert set(reminded) == {pending.id}  # never the pupil who finished, nor another class
        statuses = (await session.scalars(select(Broadcast.status))).all()
        assert statuses == ["done", "done"]
        # each /remind is in the school's audit log, like the dashboard's reminders; the one that reached
        # nobody (all reminded today already) as one that sent nothing
        audited = (await session.execute(select(AuditEntry.action, AuditSchool.school_id).join(
            AuditSchool, AuditSchool.audit_id == AuditEntry.id))).all()  # fmt: skip
        rows = [tuple(row) for row in audited]
        assert rows.count(("remind", "cg-p1")) == 2 and rows.count(("remind_none", "cg-p1")) == 1


async def test_missing_and_stats_count_a_timed_out_attempt_alike(sim: Simulator, services: Services) -> None:
    """A pupil whose attempt ran out of time has taken part (参与, with the score they reached) in /stats,
    and in /missing too, which called them 已完成 while /stats said 完成 1 of 参与 2: one word, one rule."""
    teacher, _, pending = await class_with_two_pupils(sim, services)
    async with services.db.transaction() as session:
        session.add(finished_attempt(pending.id, CAMPAIGN, 0, 900, status="expired"))
    [shown] = await teacher.send("/missing")
    assert "已登记 2 人，已参与 2 人，未参与 0 人" in shown.text
    [stats] = await teacher.send("/stats")
    assert "参与 2 人" in stats.text and "完成 1 人" in stats.text


async def test_a_reminder_reaches_each_pupil_in_their_language(sim: Simulator, services: Services) -> None:
    """One text in the bot's default language went to everyone: an English reader got Chinese, though the
    locale has an English reminder. Each now gets theirs: the campaign's `reminder_en` here."""
    teacher, _, pending = await class_with_two_pupils(sim, services)
    await pending.send("/language en")
    await teacher.send("/remind")
    await run_job(sim, "broadcasts")
    assert pending.last.text == (
        "📢 Notice\n\nThe Constitution Week law quiz is open until 22:00 on December 7. Send /campaign to take part."
    )
    assert teacher.last.text.startswith(
        "群发完成（「宪法宣传周"
    )  # the admin's report quotes the Chinese text
    # a campaign with no English reminder of its own: the English locale's, with its English title
    from bot.views.followup import reminder_texts

    exam = services.content.campaigns["staff-law-exam-2026"]
    zh, en = reminder_texts(services, exam)
    assert zh == f"「{exam.title}」正在进行，您还没有参加。发送 /campaign 参加。"
    assert en == f"“{exam.title_en}” is open and you have not taken part yet. Send /campaign to take part."
    assert exam.title_en and exam.title_en != exam.title


async def test_a_class_teacher_is_told_a_staff_campaign_is_not_for_their_class(
    sim: Simulator, services: Services
) -> None:
    """/missing staff-law-exam-2026 from a class teacher listed 已登记 0 人 and the class's roster numbers as
    never joined, and /remind said nobody needed reminding: as if the staff exam were the class's; /stats
    printed an empty report (an admins' pass); /export and /chart sent an empty workbook and charts, audited
    (another)."""
    teacher, _, _ = await class_with_two_pupils(sim, services)
    for command in ("/missing", "/remind", "/stats", "/export", "/chart"):
        [said] = await teacher.send(f"{command} staff-law-exam-2026")
        assert said.text == "这个活动不面向学生，您管理的班级无需参加。", command


async def test_a_class_teacher_asking_of_no_campaign_gets_their_pupils_one(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    """After the pupils' contest closed, the staff exam is the current campaign: a class teacher's /stats,
    /missing and /remind had been told it was not for their class, with no word of the contest (an admins'
    pass). Named by none, the campaign is the latest their class takes part in."""
    teacher, _, _ = await class_with_two_pupils(sim, services)
    clock.advance(days=7)  # 12-08 09:00: the contest closed at 12-07 22:00, the staff exam is open
    title = services.content.campaigns["constitution-day-2026"].title
    [stats] = await teacher.send("/stats")
    assert title in stats.text and "不面向" not in stats.text
    [missing] = await teacher.send("/missing")
    assert title in missing.text and "不面向" not in missing.text


async def test_a_class_whose_only_one_missing_has_no_name_is_not_counted_twice(
    sim: Simulator, services: Services
) -> None:
    """An admins' exploratory pass: 未参与 1 人, then 另有 1 人未参与（未填学号，也没有显示名）, read as two
    missing where one was."""
    teacher = sim.user("班主任")
    await teacher.send("/myid")
    await sim.user("管理员", user_id=ADMIN_ID).send(f"/grant {teacher.id} class cg-p1 5-3")
    async with services.db.transaction() as session:
        await add_user(session, 9003, Role.student, "cg-p1", 5, 3)  # no 学号, no display name
    [shown] = await teacher.send("/missing")
    assert "已登记 1 人，已参与 0 人，未参与 1 人" in shown.text and "另有" not in shown.text
    assert "未参与的 1 人都没有填学号，也没有显示名，无法列出名字" in shown.text  # not 他们 for one


async def test_a_district_admin_lists_and_reminds_one_schools_non_participants(
    sim: Simulator, services: Services
) -> None:
    """An admins' pass: /missing 城关第一小学 and /missing school 城关第一小学 had said 没有找到这个活动, and the district's
    /missing gives counts per school only. With school and its name, a district admin sees what the school's
    own admin sees, and a school admin may not look at another school."""
    await class_with_two_pupils(sim, services)
    head = await school_admin(sim)
    [theirs] = await head.send("/missing")
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [district] = await admin.send("/missing school 城关第一小学")
    assert district.text == theirs.text and "5年级1班" in district.text
    [campaign_first] = await admin.send("/missing constitution-day-2026 school 城关第一小学")
    assert campaign_first.text == theirs.text
    [other] = await head.send("/missing school 城关第二小学")
    assert other.text == "这超出了您的管理权限范围。"

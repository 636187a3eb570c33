"""/audit within a grant, end to end: the district sees every entry; a school admin the grants, revokes,
exports and rosters that concern their school, whoever made them, and nothing of other schools nor the
district's own business; a class teacher is told that the log is the school's; anyone else is refused."""

from __future__ import annotations

from bot.sim import Simulator, SimUser
from tests.conftest import ADMIN_ID
from tests.handlers.helpers import registered

CAMPAIGN = "constitution-day-2026"
# /audit names schools and campaigns in words (an admins' pass had read cg-p2 and the campaign's id)
TITLE = "2026年“宪法宣传周”学生法治知识竞赛"


async def audit_rows(user: SimUser) -> tuple[str, list[str]]:
    """The title of the user's /audit and its rows, without their time."""
    [shown] = await user.send("/audit")
    title, *rows = shown.text.splitlines()
    return title, [row.split(" · ", 1)[1] for row in rows]


async def test_the_district_sees_every_entry_and_a_school_admin_their_schools(sim: Simulator) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head, other_head = await registered(sim, name="校长"), await registered(sim, name="别校校长")
    teacher, other_teacher = await registered(sim, name="李老师"), await registered(sim, name="赵老师")
    await admin.send(f"/grant {head.id} school cg-p1")
    await admin.send(f"/grant {other_head.id} school cg-p2")
    await head.send(f"/grant {teacher.id} class cg-p1 5-1")
    await admin.send(f"/grant {other_teacher.id} class cg-p2 5-1")
    await admin.send("/grant invite class cg-p1 5-2")
    await teacher.send("/roster")
    [saved] = await teacher.send_document("名单.csv", "学号\n20230101\n20230102\n".encode())
    assert "2 个学号" in saved.text
    for exporter in (admin, head, other_head, teacher):
        await exporter.send(f"/export {CAMPAIGN}")
    await admin.send(f"/revoke {other_teacher.id} class cg-p2 5-1")
    [none_held] = await admin.send(f"/revoke {other_teacher.id} class cg-p2 5-1")  # twice: nothing to revoke
    assert "没有撤销任何授权" in none_held.text

    title, everything = await audit_rows(admin)
    district_export = f"{ADMIN_ID} · 导出 · {TITLE}"
    other_school = [
        # an admins' pass: the second revoke had been recorded as one done, as the first
        f"{ADMIN_ID} · 撤销授权（无此项有效授权，未变更） · {other_teacher.id} 班级 城关第二小学 5-1",
        f"{ADMIN_ID} · 撤销授权 · {other_teacher.id} 班级 城关第二小学 5-1",
        f"{other_head.id} · 导出 · {TITLE}",
        f"{ADMIN_ID} · 授权 · {other_teacher.id} 班级 城关第二小学 5-1",
        f"{ADMIN_ID} · 授权 · {other_head.id} 学校 城关第二小学",
    ]
    school = [
        f"{teacher.id} · 导出 · {TITLE}",  # a class teacher's, of their class
        f"{head.id} · 导出 · {TITLE}",
        f"{teacher.id} · 名单 · 城关第一小学 5-1 (2)",
        f"{ADMIN_ID} · 邀请链接 · 班级 城关第一小学 5-2",
        f"{head.id} · 授权 · {teacher.id} 班级 城关第一小学 5-1",
        f"{ADMIN_ID} · 授权 · {head.id} 学校 城关第一小学",  # the school's own rights, given by the district
    ]
    assert title == "最近 12 条记录："
    assert set(everything) == {district_export, *other_school, *school} and len(everything) == 12

    title, theirs = await audit_rows(head)
    assert title == "与城关第一小学有关的最近 6 条记录："
    assert theirs == school  # newest first
    title, theirs = await audit_rows(other_head)
    assert title == "与城关第二小学有关的最近 5 条记录：" and theirs == other_school

    [helped] = await head.send("/help")
    assert "/audit" in helped.text and "/broadcast" not in helped.text


async def test_a_school_admin_sees_the_entries_of_the_schools_they_hold_now(sim: Simulator) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head = sim.user("校长")
    await head.send("/myid")
    await admin.send("/grant invite school cg-p2")  # about another school
    await admin.send(f"/export {CAMPAIGN}")  # the district's own
    granted = await registered(sim, name="别人")
    await admin.send(f"/grant {granted.id} class cg-p2 5-1")
    await admin.send(f"/grant {head.id} school cg-p1")
    await admin.send(f"/revoke {head.id} school cg-p1")
    await admin.send(f"/grant {head.id} school cg-p3")  # granted again, at 实验小学
    title, rows = await audit_rows(head)
    assert title == "与实验小学有关的最近 1 条记录：" and rows == [
        f"{ADMIN_ID} · 授权 · {head.id} 学校 实验小学"
    ]


async def test_audit_refuses_class_teachers_and_everyone_else(sim: Simulator) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    teacher, pupil = await registered(sim, name="李老师"), await registered(sim, role="学生", name="小明")
    await admin.send(f"/grant {teacher.id} class cg-p1 5-1")
    [refused] = await teacher.send("/audit")
    assert (
        refused.text.startswith("/grants 和 /audit 供学校和全区管理员查看")
        and "联系学校管理员" in refused.text
    )
    [grants] = await teacher.send("/grants")  # said 这超出了您的管理权限范围, where /audit says whom to ask
    assert grants.text == refused.text
    [helped] = await teacher.send("/help")
    assert "/audit" not in helped.text and "/roster" in helped.text
    # the super admins' commands say whose they are to an admin (it said 只有管理员可以使用 to one), and
    # nothing more to anyone else
    for command in ("/unanswered", "/broadcast", "/reload"):
        [refused] = await teacher.send(command)
        assert refused.text.startswith("这个命令只有超级管理员"), command
        [refused] = await pupil.send(command)
        assert refused.text == "这个命令只有管理员可以使用。", command
    [refused] = await pupil.send("/audit")
    assert refused.text == "这个命令只有管理员可以使用。"
    for command in ("/grant x", "/revoke 1 district", "/grant invite district"):  # not even the usage
        [refused] = await pupil.send(command)
        assert refused.text == "这个命令只有管理员可以使用。", command
    [helped] = await pupil.send("/help")
    assert "/audit" not in helped.text


async def test_a_broadcast_sent_is_in_the_log_of_the_district_and_of_the_school_it_went_to(
    sim: Simulator,
) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head, other_head = await registered(sim, name="校长"), await registered(sim, name="别校校长")
    await admin.send(f"/grant {head.id} school cg-p1")
    await admin.send(f"/grant {other_head.id} school cg-p2")
    await registered(sim, role="学生", name="小明")  # at 城关第一小学
    await admin.send("/broadcast school 城关第一小学")  # by name, as every admin command takes a school
    await admin.send("明天上午十点\n全校学法考试，请按时参加，不要迟到")
    await admin.press("城关第一小学")
    await admin.press("确认发送")
    await admin.send("/broadcast")
    await admin.send("全区通知：宪法宣传周开始了")
    await admin.press("全部用户")
    await admin.press("取消")  # a draft cancelled was never sent: nothing to log

    _, everything = await audit_rows(admin)
    to_school = f"{ADMIN_ID} · 群发 · 1 school.cg-p1 «明天上午十点 全校学法考试，请按时参加…»"
    assert everything[0] == to_school and not any("宪法宣传周" in row for row in everything)
    _, theirs = await audit_rows(head)
    assert theirs[0] == to_school
    _, others = await audit_rows(other_head)
    assert not any("broadcast" in row for row in others)

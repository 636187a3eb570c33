"""Administering admins, end to end: /myid, grants by one-time invite link, school admins granting classes
of their own school, /grants within scope, and the refusals."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.db.models import Grant, Invite
from bot.runtime import Services
from bot.sim import Simulator
from tests.conftest import ADMIN_ID, Clock
from tests.handlers.helpers import registered

INVITE = re.compile(r"https://t\.me/pufa_sim_bot\?start=(g_[A-Za-z0-9_-]+)")


async def test_myid_shows_the_telegram_id(sim: Simulator) -> None:
    user = sim.user("王老师")
    [shown] = await user.send("/myid")
    assert f"您的 Telegram ID：{user.id}" in shown.text


async def test_a_grant_by_invite_link_is_single_use_and_audited(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [invite] = await admin.send("/grant invite school cg-p1")
    token = INVITE.search(invite.text)
    assert token, invite.text
    assert invite.text.startswith("邀请链接（学校 城关第一小学，")  # not (school cg-p1, … (an admins' pass)
    head, other = sim.user("校长"), sim.user("别人")
    [accepted] = await head.send(f"/start {token.group(1)}")
    assert "您已获得管理权限：城关第一小学" in accepted.text
    [used] = await other.send(f"/start {token.group(1)}")
    assert "无效、已被使用或已过期" in used.text
    [helped] = await head.send("/help")
    assert "/grants" in helped.text and "/audit" in helped.text and "/broadcast" not in helped.text

    [late] = await admin.send("/grant invite class cg-p1 5-1")
    clock.advance(hours=73)
    [expired] = await other.send(f"/start {INVITE.search(late.text).group(1)}")  # type: ignore[union-attr]
    assert "无效、已被使用或已过期" in expired.text

    async with services.db.transaction() as session:
        grants = (await session.scalars(select(Grant))).all()
        assert [(g.user_id, g.scope, g.school_id, g.granted_by) for g in grants] == [
            (head.id, "school", "cg-p1", ADMIN_ID)
        ]
        invites = (await session.scalars(select(Invite.token_hash))).all()
        assert len(invites) == 2 and token.group(1)[2:] not in invites  # only the hash is kept
    [audit] = await admin.send("/audit")
    # in words, not school cg-p1 (invite) (an admins' pass)
    assert f"{ADMIN_ID} · 授权 · {head.id} 学校 城关第一小学（经邀请链接）" in audit.text
    assert f"{ADMIN_ID} · 邀请链接 · 学校 城关第一小学" in audit.text


async def test_rights_never_go_to_a_pupil(sim: Simulator, services: Services) -> None:
    """A pupil given a class's rights (/grant, or an invite link that reached them) saw classmates' scores in
    /export (an exploratory pass as a district admin). Both are refused; the link stays usable."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    pupil = await registered(sim, role="学生", name="小明")
    [refused] = await admin.send(f"/grant {pupil.id} class cg-p1 5-1")
    assert "身份是学生" in refused.text
    [invite] = await admin.send("/grant invite class cg-p1 5-1")
    token = INVITE.search(invite.text)
    assert token, invite.text
    [declined] = await pupil.send(f"/start {token.group(1)}")
    assert "身份是学生" in declined.text and "/profile" in declined.text
    teacher = await registered(sim, name="李老师")
    [accepted] = await teacher.send(f"/start {token.group(1)}")
    assert "您已获得管理权限" in accepted.text
    async with services.db.transaction() as session:
        assert [g.user_id for g in (await session.scalars(select(Grant))).all()] == [teacher.id]


async def test_rights_end_with_the_holders_data_and_when_they_register_as_a_pupil(sim: Simulator) -> None:
    """An admins' exploratory pass (December 7): a school admin who erased their data with /deleteme still
    read the school's /stats, and a class admin who registered as a pupil in /profile went on seeing the
    class's scores. Neither holds rights now; /grants and /audit say what became of them."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head = await registered(sim, name="校长")
    await admin.send(f"/grant {head.id} school cg-p1")
    [report] = await head.send("/stats")
    assert "城关第一小学" in report.text
    [ask] = await head.send("/deleteme")
    assert "管理权限" in ask.text
    await head.press("确认删除")
    [refused] = await head.send("/stats")
    assert refused.text == "这个命令只有管理员可以使用。"
    [listed] = await admin.send("/grants")
    assert str(head.id) not in listed.text
    [audit] = await admin.send("/audit")
    assert f"· {head.id} · 删除数据（权限随之终止） · {head.id}" in audit.text

    teacher = await registered(sim, name="李老师")
    await admin.send(f"/grant {teacher.id} class cg-p1 5-1")
    [report] = await teacher.send("/stats")
    assert "五年级1班" in report.text
    await teacher.send("/profile")
    await teacher.press("修改身份")
    await teacher.press("学生")
    await teacher.send("城关一小")
    await teacher.press(0)
    await teacher.press("五年级")
    await teacher.press("2班")
    [refused] = await teacher.send("/stats")
    assert refused.text == "这个命令只有管理员可以使用。"
    [listed] = await admin.send("/grants")
    assert f"{teacher.id}" in listed.text and "已登记为学生：此授权不生效" in listed.text


async def test_a_grant_to_an_id_that_never_wrote_to_the_bot_is_refused(
    sim: Simulator, services: Services
) -> None:
    """A mistyped id had been granted rights that waited for whoever had that id (an exploratory pass)."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [refused] = await admin.send("/grant 424242 class cg-p1 5-1")
    assert refused.text.startswith("没有找到 ID 为 424242 的用户") and "/myid" in refused.text
    teacher = sim.user("李老师")
    [told] = await teacher.send("/myid")  # a user now, though not registered
    assert str(teacher.id) in told.text
    [granted] = await admin.send(f"/grant {teacher.id} class cg-p1 5-1")
    assert granted.text.startswith("已授权")
    async with services.db.transaction() as session:
        assert [g.user_id for g in (await session.scalars(select(Grant))).all()] == [teacher.id]


async def test_a_school_admin_grants_classes_of_the_school_only(sim: Simulator) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head, teacher, pupil = sim.user("校长"), sim.user("李老师"), sim.user("小明")
    for person in (head, teacher):  # as each learns their id to pass on
        await person.send("/myid")
    await admin.send(f"/grant {head.id} school cg-p1")
    [granted] = await head.send(f"/grant {teacher.id} class cg-p1 5-1")
    assert (
        granted.text == f"已授权：{teacher.id} · 城关第一小学 五年级1班"
    )  # was: {teacher.id} class cg-p1 5-1
    [elsewhere] = await head.send(f"/grant {teacher.id} class cg-p2 5-1")
    assert elsewhere.text == "这超出了您的管理权限范围。"
    [school] = await head.send(f"/grant {teacher.id} school cg-p1")
    assert school.text == "这超出了您的管理权限范围。"
    [no_class] = await head.send(f"/grant {teacher.id} class cg-p1 5-9")  # 城关第一小学 has 8 classes a grade
    assert no_class.text.startswith("这所学校没有这个班级。")  # as /joinlink says; it had shown the usage
    assert "例如 5-1" in no_class.text
    # an admins' pass: the class as the bot names it had been refused as one the school does not have
    [again] = await head.send(f"/grant {teacher.id} class 城关第一小学 五年级1班")
    assert again.text == f"{teacher.id} 已经有这项授权，无需再授。"
    [invite] = await head.send("/grant invite class cg-p1 5-2")
    assert INVITE.search(invite.text)

    [listed] = await head.send("/grants")
    assert "有效授权（2 项）" in listed.text
    assert f"{teacher.id} · 城关第一小学 五年级1班 · 授权人 {head.id}" in listed.text
    [audit] = await head.send("/audit")  # the school's own: tests/handlers/test_audit.py
    assert audit.text.startswith("与城关第一小学有关的最近 3 条记录")
    [refused] = await teacher.send("/grants")  # a class teacher lists no grants, and is told whom to ask
    assert refused.text.startswith("/grants 和 /audit 供学校和全区管理员查看")
    [refused] = await pupil.send("/grants")
    assert refused.text == "这个命令只有管理员可以使用。"
    [refused] = await teacher.send(f"/grant {pupil.id} class cg-p1 5-1")
    assert refused.text == "这超出了您的管理权限范围。"
    [everything] = await admin.send("/grants")
    assert "有效授权（2 项）" in everything.text and f"{head.id} · 城关第一小学 ·" in everything.text


async def test_grants_say_who_holds_them_as_far_as_the_bot_knows(sim: Simulator) -> None:
    """/grants listed ids alone: an admin could not tell whom they had granted. Now the ranking name (masked
    as rankings show it), school and department of a holder or grantor who registered; an id alone else."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    teacher = await registered(sim, name="李老师")  # staff of 城关中学
    await teacher.send("/name 李明")
    stranger = sim.user("路人")
    await stranger.send("/myid")
    await admin.send(f"/grant {teacher.id} school cg-j1")
    await admin.send(f"/grant {stranger.id} class cg-p1 5-1")
    [listed] = await admin.send("/grants")
    assert f"{teacher.id}（李* · 城关中学） · 城关中学 · 授权人 {ADMIN_ID}" in listed.text
    assert f"\n{stranger.id} · 城关第一小学 五年级1班 · 授权人 {ADMIN_ID}" in listed.text


async def test_a_revoke_of_no_grant_says_so(sim: Simulator) -> None:
    """/revoke 9999 district had answered 已撤销 0 项授权, as if something had happened (an admins' pass)."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    teacher = await registered(sim, name="李老师")
    [none] = await admin.send(f"/revoke {teacher.id} district")
    assert none.text.startswith("没有这项有效授权") and "/grants" in none.text
    await admin.send(f"/grant {teacher.id} class cg-p1 5-1")
    [done] = await admin.send(f"/revoke {teacher.id} class 城关第一小学 5-1")
    assert done.text == "已撤销 1 项授权。"


async def test_myid_tells_a_pupil_only_the_id(sim: Simulator) -> None:
    """A pupils' pass: /myid told a child to send the id to an admin to be given rights, which no pupil can hold."""
    pupil = await registered(sim, role="学生", name="小明")
    [shown] = await pupil.send("/myid")
    assert str(pupil.id) in shown.text and "授权" not in shown.text
    teacher = await registered(sim, name="李老师")
    [told] = await teacher.send("/myid")
    assert "授权" in told.text


async def test_a_grant_already_covered_is_refused(sim: Simulator) -> None:
    """An admins' pass: /grant <super admin> district was taken, and a class of a school its admin holds whole,
    both then listed by /grants beside what covered them."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head = await registered(sim, name="校长")
    await admin.send(f"/grant {head.id} school cg-p1")
    [covered] = await admin.send(f"/grant {head.id} class cg-p1 5-1")
    assert covered.text == f"{head.id} 已经有全区或这所学校的权限，已包含这个班级，无需再授。"
    [other] = await admin.send(f"/grant {head.id} class cg-p2 5-1")  # another school's class is no part of it
    assert other.text.startswith("已授权")
    [itself] = await admin.send(f"/grant {ADMIN_ID} district")
    assert itself.text.startswith(f"{ADMIN_ID} 是超级管理员")

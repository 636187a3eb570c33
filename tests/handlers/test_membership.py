"""Verified class membership, end to end: a class teacher's join link and QR code, a pupil who opens it
registered in that class with their 学号, the class's numbers-only roster, and the refusals outside a
grant."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.db.membership import is_verified
from bot.db.models import FaqQuery, JoinLink, RosterNumber, User, VerifiedMember
from bot.runtime import Services
from bot.sim import Simulator, SimUser
from tests.conftest import ADMIN_ID, Clock
from tests.handlers.helpers import registered

LINK = re.compile(r"https://t\.me/pufa_sim_bot\?start=(j_[A-Za-z0-9_-]+)")


async def class_teacher(sim: Simulator, name: str = "李老师", klass: str = "cg-p1 5-1") -> SimUser:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    teacher = sim.user(name)
    await teacher.send("/myid")
    await admin.send(f"/grant {teacher.id} class {klass}")
    return teacher


async def join_link(teacher: SimUser, *args: str) -> str:
    replies = await teacher.send(" ".join(["/joinlink", *args]))
    found = LINK.search(replies[0].text or "")
    assert found, replies[0].text
    assert replies[-1].photo is not None  # the QR code, as a picture
    return found.group(1)


async def test_a_pupil_who_opens_the_class_link_is_registered_in_that_class(
    sim: Simulator, services: Services
) -> None:
    teacher = await class_teacher(sim)
    payload = await join_link(teacher)
    qr = sim.world.files[teacher.private.last.photo["file_id"]]  # type: ignore[index]
    assert qr.startswith(b"\x89PNG")
    # whose code it is, under it: printed, codes without words could not be told apart (an admins' pass)
    assert (teacher.private.last.caption or "").startswith("城关第一小学 五年级1班的加入二维码（")

    pupil = sim.user("小红")
    [joined] = await pupil.send(f"/start {payload}")
    assert "城关第一小学 五年级1班" in joined.text and "学号" in joined.text
    [saved] = await pupil.send("20230105")
    assert "20230105" in saved.text
    [profile] = await pupil.send("/profile")
    assert (
        "班级验证：已通过班级链接验证（学号 20230105）" in profile.text
        and f"Telegram ID：{pupil.id}" in profile.text
    )

    async with services.db.transaction() as session:
        user = await session.get(User, pupil.id)
        assert user is not None and user.registered
        assert (user.role.value, user.school_id, user.grade, user.class_no) == ("student", "cg-p1", 5, 1)  # type: ignore[union-attr]
        member = await session.get(VerifiedMember, pupil.id)
        assert member is not None and member.number == "20230105"
        stored = (await session.scalars(select(JoinLink.code_hash))).all()
        assert stored and payload[2:] not in stored  # only the code's hash is kept
    [again] = await pupil.send("/start")
    assert "欢迎" in again.text or again.buttons


async def test_a_self_chosen_class_is_unverified_and_reports_can_leave_it_out(
    sim: Simulator, services: Services
) -> None:
    teacher = await class_teacher(sim)
    payload = await join_link(teacher)
    chose = await registered(sim, "学生", "小刚")  # picked 城关一小 五年级 1班 by hand
    [profile] = await chose.send("/profile")
    assert "班级验证：未验证" in profile.text
    joined = sim.user("小红")
    await joined.send(f"/start {payload}")
    async with services.db.transaction() as session:
        verified = (await session.scalars(select(User.id).where(is_verified()))).all()
    assert verified == [joined.id]

    await joined.press(
        "修改年级和班级", message=(await joined.send("/profile"))[0]
    )  # moving class by hand: unverified
    await joined.press("六年级")
    await joined.press("2班")
    async with services.db.transaction() as session:
        assert (await session.scalar(select(func.count()).select_from(User).where(is_verified()))) == 0


async def test_links_are_refused_outside_the_grant_and_once_revoked_or_expired(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    outsider = sim.user("路人")
    [refused] = await outsider.send("/joinlink cg-p1 5-1")
    assert refused.text == "这个命令只有管理员可以使用。"
    teacher = await class_teacher(sim)
    [other] = await teacher.send("/joinlink cg-p1 5-2")
    assert other.text == "这超出了您的管理权限范围。"
    [nowhere] = await teacher.send("/joinlink cg-p1 5-9")
    assert nowhere.text.startswith("这所学校没有这个班级。")
    [staff_link] = await teacher.send("/joinlink cg-p1")  # a school's staff link is for school admins
    assert staff_link.text == "这超出了您的管理权限范围。"

    revoked = await join_link(teacher)
    [done] = await teacher.send("/joinlink revoke")
    assert "1 个" in done.text
    pupil = sim.user("小红")
    [invalid] = await pupil.send(f"/start {revoked}")
    assert "无效、已撤销或已过期" in invalid.text
    await pupil.send(f"/start j_{'x' * 16}")  # a guessed code
    assert "无效" in pupil.last.text

    expiring = await join_link(teacher)
    clock.advance(days=31)
    [expired] = await pupil.send(f"/start {expiring}")
    assert "无效、已撤销或已过期" in expired.text
    async with services.db.transaction() as session:
        assert await session.get(VerifiedMember, pupil.id) is None


async def test_a_school_link_registers_staff_whose_staff_number_is_optional(
    sim: Simulator, services: Services
) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head = sim.user("校长")
    await head.send("/myid")
    await admin.send(f"/grant {head.id} school cg-j1")
    payload = await join_link(head)  # the one school of the grant
    staff = sim.user("张老师")
    [joined] = await staff.send(f"/start {payload}")
    assert "城关中学（教职工）" in joined.text and "跳过" in joined.button_texts
    await staff.press("跳过")
    assert "不填写工号" in staff.last.text
    async with services.db.transaction() as session:
        user = await session.get(User, staff.id)
        assert user is not None and user.role.value == "staff" and user.school_id == "cg-j1"  # type: ignore[union-attr]
        member = await session.get(VerifiedMember, staff.id)
        assert member is not None and member.number is None
    [profile] = await staff.send("/profile")
    assert "学校验证：已通过学校链接验证" in profile.text and "班级" not in profile.text
    # one who gives a staff number sees it called a 工号, here and in the profile (学号/工号 before)
    other = sim.user("李老师")
    await other.send(f"/start {payload}")
    [saved] = await other.send("T1024")
    assert saved.text.startswith("已记录工号：T1024")
    [profile] = await other.send("/profile")
    assert "学校验证：已通过学校链接验证（工号 T1024）" in profile.text


async def test_the_roster_holds_numbers_only_and_checks_the_numbers_pupils_give(
    sim: Simulator, services: Services
) -> None:
    teacher = await class_teacher(sim)
    [unasked] = await teacher.send_document("名单.csv", b"1\n")
    assert "/roster" in unasked.text
    [ask] = await teacher.send("/roster")
    assert "学号名单" in ask.text
    # a 学号 typed had been kept as an unanswered enrollment question (a pupil's number in /unanswered)
    [typed] = await teacher.send("20230101")
    assert "作为文件发送" in typed.text
    async with services.db.transaction() as session:
        assert not (await session.scalars(select(FaqQuery.text))).all()
    [named] = await teacher.send_document("名单.csv", "学号,姓名\n20230101,张三\n".encode())
    assert "第 1 行第 2 列不是学号" in named.text and "张三" not in named.text
    [named] = await teacher.send_document("名单.csv", "20230101\n张三\n".encode())
    assert "第 2 行第 1 列" in named.text
    [saved] = await teacher.send_document("名单.csv", "学号\n20230101\n20230102\n20230103\n".encode())
    assert "3 个学号" in saved.text

    payload = await join_link(teacher)
    pupil, twin = sim.user("小红"), sim.user("小明")
    await pupil.send(f"/start {payload}")
    [wrong] = await pupil.send("20239999")
    assert "不在本班名单" in wrong.text
    await pupil.send("20230102")
    assert "已记录" in pupil.last.text
    await twin.send(f"/start {payload}")
    [taken] = await twin.send("20230102")
    assert "已经有同学使用" in taken.text
    # joining again: a number the roster holds stays (a review: a pupil could move onto a classmate's)
    [once] = await pupil.send("/start " + payload)
    assert "你已经填写过学号（20230102）" in once.text
    await pupil.send("20230103")
    assert "已记录" not in pupil.last.text

    async with services.db.transaction() as session:
        numbers = (await session.scalars(select(RosterNumber.number).order_by(RosterNumber.number))).all()
    assert numbers == ["20230101", "20230102", "20230103"]

    [gone] = await pupil.send("/deleteme")
    await pupil.press("确认删除", message=gone)
    async with services.db.transaction() as session:
        assert await session.get(VerifiedMember, pupil.id) is None  # the number goes with the user


async def test_a_class_teacher_cannot_upload_another_class_roster(sim: Simulator) -> None:
    teacher = await class_teacher(sim)
    [refused] = await teacher.send("/roster cg-p1 5-2")
    assert refused.text == "这超出了您的管理权限范围。"
    outsider = sim.user("路人")
    [refused] = await outsider.send("/roster cg-p1 5-1")
    assert refused.text == "这个命令只有管理员可以使用。"


async def test_a_question_typed_instead_of_the_number_is_answered_and_a_pupil_may_skip(
    sim: Simulator,
) -> None:
    """A class link forwarded to a parent, who ignores the 学号 prompt: every typed message got 学号只能包含数字或
    字母, even after /start, so they could never ask anything again; pupils had no 跳过 either. Chinese words
    are a question now (answered, the number no longer awaited), and pupils may skip the number."""
    payload = await join_link(await class_teacher(sim))
    parent = sim.user("家长")
    [joined] = await parent.send(f"/start {payload}")
    assert "跳过" in joined.button_texts
    [answer] = await parent.send("孩子几岁上小学")
    assert "学号" not in answer.text and "小学" in answer.text
    [later] = await parent.send("20230105")  # no number is awaited now: nothing is saved as one
    assert "已记录" not in later.text

    pupil = sim.user("小红")
    [asked] = await pupil.send(f"/start {payload}")
    await pupil.press("跳过", message=asked)
    assert "先不填学号" in asked.text  # in place of the question
    [profile] = await pupil.send("/profile")
    assert "五年级1班" in profile.text


async def test_a_pupils_number_is_digits_and_may_be_corrected_through_the_link(
    sim: Simulator, services: Services
) -> None:
    """A pupils' pass: A2023015 was kept as a 学号 (rosters are digits: it could never match), and the link
    opened again to correct it asked for the number, then said 现在不需要输入学号. A 学号 is digits now, and
    the link opened again offers to correct the one given (跳过 keeps it)."""
    payload = await join_link(await class_teacher(sim))
    pupil = sim.user("小明")
    await pupil.send(f"/start {payload}")
    [bad] = await pupil.send("A2023015")
    assert bad.text == "学号只能是数字（最多 20 位），请重新输入："
    [saved] = await pupil.send("20230114")
    assert saved.text.startswith("已记录学号：20230114")
    [again] = await pupil.send(f"/start {payload}")
    assert "你填写的学号是 20230114。要改正，请输入正确的学号" in again.text
    [corrected] = await pupil.send("20230115")
    assert corrected.text.startswith("已记录学号：20230115")
    async with services.db.transaction() as session:
        member = await session.get(VerifiedMember, pupil.id)
        assert member is not None and member.number == "20230115"
    [again] = await pupil.send(f"/start {payload}")
    await pupil.press("跳过", message=again)
    assert again.text == "好的，不用改。"
    [later] = await pupil.send("20230199")  # nothing awaited: not taken as a number
    assert "已记录" not in later.text
    async with services.db.transaction() as session:
        member = await session.get(VerifiedMember, pupil.id)
        assert member is not None and member.number == "20230115"


async def test_a_link_for_another_role_asks_before_it_changes_a_registration(
    sim: Simulator, services: Services
) -> None:
    """A registered teacher or parent who opened a class link (forwarded to a parents' group) became a
    pupil of that class without a word; now they are asked, and nothing changes unless they confirm.
    A forged confirmation is checked as the link is."""
    payload = await join_link(await class_teacher(sim))
    teacher = await registered(sim, role="教职工", name="王老师")
    [asked] = await teacher.send(f"/start {payload}")
    assert "您现在登记的身份是教职工" in asked.text and "改为学生" in asked.text
    assert asked.button_texts == ["✅ 确定加入", "保持现在的登记"]
    await teacher.press("保持现在的登记", message=asked)
    [profile] = await teacher.send("/profile")
    assert "教职工" in profile.text and "城关中学" in profile.text
    await teacher.press(0, message=asked, data="mem:join:forgedcode123")
    assert teacher.last_alert is not None and "链接无效" in teacher.last_alert["text"]  # nothing changed
    async with services.db.transaction() as session:
        user = await session.get(User, teacher.id)
        assert user is not None and user.role.value == "staff"  # type: ignore[union-attr]

    [asked] = await teacher.send(f"/start {payload}")
    [joined] = await teacher.press("✅ 确定加入", message=asked)
    assert "城关第一小学 五年级1班" in joined.text and "学号" in joined.text
    pupil = await registered(sim, role="学生", name="小明")  # a pupil of another class: no question
    [moved] = await pupil.send(f"/start {payload}")
    assert "你已加入 城关第一小学 五年级1班" in moved.text


async def test_a_place_may_be_named_by_the_school_and_roster_says_its_own_usage(sim: Simulator) -> None:
    """/joinlink 城关第一小学 5-1 gave the usage text (only school ids, which the bot shows nowhere, were
    read), and /roster with no words gave /joinlink's usage."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [link] = (await admin.send("/joinlink 城关第一小学 5-1"))[:1]
    assert LINK.search(link.text or "") and "城关第一小学 五年级1班" in link.text
    [vague] = await admin.send("/joinlink 小学 5-1")  # in many schools' names: none is guessed, some named
    assert vague.text.startswith("有多所学校的名称含「小学」：城关第一小学、") and vague.text.endswith(
        "请写学校的全名或编号。"
    )
    [roster] = await admin.send("/roster")
    assert roster.text.startswith("学号名单按班级上传：/roster")


async def test_staff_who_join_by_link_are_asked_their_department(sim: Simulator, services: Services) -> None:
    """Registration asks staff their department (教研组) where the school lists them; a school's link placed
    them without asking, so every link-joined teacher was in no department and reports split nothing."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head = sim.user("校长")
    await head.send("/myid")
    await admin.send(f"/grant {head.id} school cg-p1")  # 城关第一小学 lists 语文组, 数学组 …
    payload = await join_link(head)
    typed, skipped = sim.user("张老师"), sim.user("李老师")
    await typed.send(f"/start {payload}")
    [asked] = await typed.send("T1024")
    assert asked.text.startswith("已记录工号：T1024") and "请选择您所在的教研组或部门" in asked.text
    await typed.press("语文组", message=asked)
    await skipped.send(f"/start {payload}")
    await skipped.press("跳过")
    assert "不填写工号" in skipped.last.text and "语文组" in skipped.last.button_texts
    await skipped.press("不填", message=skipped.last)
    async with services.db.transaction() as session:
        chose, none = await session.get(User, typed.id), await session.get(User, skipped.id)
        assert chose is not None and chose.department == "语文组" and chose.registered
        assert none is not None and none.department is None and none.registered
    [profile] = await typed.send("/profile")
    assert "语文组" in profile.text


async def test_a_teacher_who_joins_a_class_as_a_pupil_takes_no_staff_result_into_it(
    sim: Simulator, services: Services
) -> None:
    """A teacher who tried a class's link on their own phone (and confirmed becoming a pupil) brought their
    staff exam result into the class: its class teacher saw a colleague's score in /stats and in the
    export's certificate register, and the district counted it under the class's school. A campaign's
    figures count only the roles it is for."""
    from tests.handlers.helpers import take_staff_exam

    exam = "staff-law-exam-2026"
    admin = sim.user("管理员", user_id=ADMIN_ID)
    colleague = await registered(sim, name="王老师")  # 城关中学's staff
    await take_staff_exam(sim, services, colleague, right=20)
    [before] = await admin.send(f"/stats {exam}")
    assert "参考 1 人" in before.text
    teacher = await class_teacher(sim)  # 城关第一小学 5-1
    payload = await join_link(teacher)
    [asked] = await colleague.send(f"/start {payload}")
    await colleague.press("✅ 确定加入", message=asked)
    [after] = await admin.send(f"/stats {exam}")
    assert "参考 0 人" in after.text and "平均分 —" in after.text
    [seen] = await teacher.send(f"/stats {exam}")  # the staff exam is no class's business at all
    assert seen.text == "这个活动不面向学生，您管理的班级无需参加。"

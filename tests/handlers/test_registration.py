"""Registration, profile, language and erasure, as a person does them in the chat."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import SpentAttempts, User
from bot.domain import Role
from bot.runtime import Services
from bot.sim import Simulator
from tests.conftest import Clock
from tests.handlers.helpers import registered, take_staff_exam


async def stored_user(services: Services, user_id: int) -> User | None:
    async with services.db.transaction() as session:
        return await session.get(User, user_id)


async def register_student(sim: Simulator, name: str = "小明"):
    user = sim.user(name)
    await user.send("/start")
    await user.press("法律知识答题")
    await user.press("学生")
    await user.send("城关一小")
    await user.press("城关第一小学")
    await user.press("三年级")
    await user.press("2班")
    return user


async def test_start_greets_in_chinese_with_the_main_features(sim: Simulator) -> None:
    user = sim.user(language_code="zh-hans")
    [reply] = await user.send("/start")
    assert "普法助手" in reply.text
    assert reply.button_texts == ["📝 法律知识答题", "🏫 招生入学咨询", "📊 我的成绩", "❓ 帮助"]


async def test_start_speaks_english_to_an_english_telegram(sim: Simulator) -> None:
    user = sim.user(language_code="en-US")
    [reply] = await user.send("/start")
    assert "PufaBot" in reply.text
    assert "📝 Law quizzes" in reply.button_texts


async def test_a_student_registers_by_searching_the_school(sim: Simulator, services: Services) -> None:
    user = sim.user("小红")
    await user.send("/start")
    await user.press("法律知识答题")
    assert "登记" in user.last.text and user.last.button_texts == ["学生", "教职工", "家长 / 市民"]
    await user.press("学生")
    assert "输入学校名称" in user.last.text
    [results] = await user.send("城关弟一小学")  # a typo of the kind a phone keyboard makes
    assert results.button_texts[0] == "城关第一小学"
    await user.press("城关第一小学")
    assert "请选择年级" in user.last.text and "六年级" in user.last.button_texts
    await user.press("三年级")
    assert user.last.button_texts[:2] == ["1班", "2班"]
    [laws] = await user.press("2班")
    summary = user.private.bot_messages[-2]
    assert "登记完成" in summary.text and "三年级2班" in summary.text and not summary.buttons
    assert "请选择要练习的法律" in laws.text  # what the pupil asked for, right after registering
    stored = await stored_user(services, user.id)
    assert stored is not None and stored.registered
    assert (stored.role, stored.school_id, stored.grade, stored.class_no) == (Role.student, "cg-p1", 3, 2)
    assert stored.display_name is None  # no name is asked for


async def test_a_pupil_may_type_the_grade_and_class_instead_of_pressing(
    sim: Simulator, services: Services
) -> None:
    """The school is found by typing its name, so pupils type the next answers too: 三年级 got 您是不是想问：
    小学一年级什么时候报名？ and 3班 孩子几岁可以上幼儿园？. A grade or class typed is taken as its button; a short
    text that names none asks again; a question is answered."""
    user = sim.user("小红")
    await user.send("/profile")
    await user.press("学生")
    await user.send("城关第一小学")
    await user.press("城关第一小学")
    [again] = await user.send("三年极")  # no grade
    assert "请点下面的按钮选择" in again.text and "三年级" in again.button_texts
    [answer] = await user.send("孩子几岁可以上小学呢？")
    assert "上小学" in answer.text and "请点下面的按钮" not in answer.text
    [classes] = await user.send("三年级")
    assert "请选择班级" in classes.text
    await user.send("2班")
    stored = await stored_user(services, user.id)
    assert stored is not None and stored.registered and (stored.grade, stored.class_no) == (3, 2)
    # a grade typed, then a class; or (a pupils' pass had been asked for the grade again) both at once, as
    # pupils write them, traditional characters too
    for school, typed, place in (
        ("城关中学", ["初一", "三班"], (7, 3)),
        ("城关中学", ["8年级", "三班"], (8, 3)),
        ("城关中学", ["Grade 9", "三班"], (9, 3)),
        ("城关第一小学", ["五年级一班"], (5, 1)),
        ("城关第一小学", ["5年1班"], (5, 1)),
        ("城关第一小学", ["5.2"], (5, 2)),
        ("城关第一小学", ["四年級"], (4, None)),
    ):
        other = sim.user(typed[0])
        await other.send("/profile")
        await other.press("学生")
        await other.send(school)
        await other.press(school)
        for text in typed:
            await other.send(text)
        stored = await stored_user(services, other.id)
        assert stored is not None and (stored.grade, stored.class_no) == place, typed


async def test_a_teacher_browses_towns_and_pages(sim: Simulator, services: Services) -> None:
    user = sim.user("王老师")
    await user.send("/profile")
    await user.press("教职工")
    await user.press("城关街道")
    assert "城关第一小学" in user.last.button_texts
    await user.press("城关中学")
    assert "登记完成" in user.last.text and "班级" not in user.last.text
    stored = await stored_user(services, user.id)
    assert stored is not None and stored.role == Role.staff and stored.school_id == "cg-j1"


async def test_a_parent_needs_no_school(sim: Simulator, services: Services) -> None:
    user = sim.user("家长")
    await user.send("/profile")
    await user.press("家长 / 市民")
    assert "登记完成" in user.last.text
    stored = await stored_user(services, user.id)
    assert stored is not None and stored.school_id is None and stored.registered


async def test_registration_survives_a_restart_halfway(sim: Simulator, services: Services) -> None:
    """The half-finished flow is in the database, so a new Application carries on."""
    user = sim.user()
    await user.send("/profile")
    await user.press("学生")
    from bot.app import build_application, on_startup
    from bot.sim.simulator import SIM_TOKEN, SimRequest

    restarted = build_application(services, request=SimRequest(sim.world), token=SIM_TOKEN)
    async with restarted:
        await on_startup(restarted)
        sim.app = restarted
        [results] = await user.send("东湖")
        assert results.button_texts[0] == "东湖小学"
        # asking for the profile halfway says to carry on, not to register (it had said 需要先简单登记)
        [resumed] = await user.send("/profile")
        assert "登记还没有完成" in resumed.text and "需要先简单登记" not in resumed.text
        assert "请选择学校所在的镇街" in resumed.text  # the question they had not answered yet


async def test_profile_changes_the_class(sim: Simulator, services: Services) -> None:
    user = await register_student(sim)
    [profile] = await user.send("/profile")
    assert "城关第一小学" in profile.text and "三年级2班" in profile.text
    await user.press("修改年级和班级")
    await user.press("五年级")
    await user.press("4班")
    stored = await stored_user(services, user.id)
    assert stored is not None and (stored.grade, stored.class_no) == (5, 4) and stored.registered


async def test_language_switch_changes_the_interface(sim: Simulator, services: Services) -> None:
    user = sim.user()
    await user.send("/language")
    await user.press("English")
    assert user.last.text.startswith("Language set to English.") and "stay in Chinese" in user.last.text
    [help_text] = await user.send("/help")
    assert "Commands:" in help_text.text
    stored = await stored_user(services, user.id)
    assert stored is not None and stored.language == "en"


async def test_deleteme_erases_the_user_after_confirmation(sim: Simulator, services: Services) -> None:
    user = await register_student(sim)
    await user.send("/deleteme")
    await user.press("取消")
    assert await stored_user(services, user.id) is not None
    await user.send("/deleteme")
    await user.press("确认删除")
    assert "已全部删除" in user.last.text
    assert await stored_user(services, user.id) is None


async def test_a_group_gets_a_short_answer_and_a_link_to_private_chat(sim: Simulator, clock: Clock) -> None:
    teacher = sim.user("王老师")
    group = sim.group("三年级二班", admins=[teacher])
    [reply] = await teacher.send("/start", chat=group)
    assert "私聊" in reply.text and reply.buttons[0][0]["url"].startswith("https://t.me/")
    assert await teacher.send("大家好", chat=group) == []  # plain group chatter is not the bot's business
    [personal] = await teacher.send("/profile", chat=group)
    assert "私聊" in personal.text
    clock.advance(seconds=61)  # the pointer to the private chat is posted in a group once a minute
    [campaigns] = await teacher.send("/campaign", chat=group)
    assert "私聊" in campaigns.text


async def test_unknown_command_points_to_help(sim: Simulator) -> None:
    user = sim.user()
    [reply] = await user.send("/frobnicate")
    assert "/help" in reply.text


async def test_forged_callbacks_are_refused_and_change_nothing(sim: Simulator, services: Services) -> None:
    user = sim.user()
    await user.send("/profile")
    await user.press("学生")
    message = user.last
    for forged in [
        "reg:school:no-such-school",
        "reg:grade:3",
        "reg:class:99",
        "reg:role:admin",
        "reg:town:chengguan:x",
        "garbage",
        "reg:school:" + "x" * 80,
        "prof:change:role",
    ]:
        await user.press(0, message=message, data=forged)
        assert user.last_alert is not None and user.last_alert["show_alert"], forged
        assert "失效" in user.last_alert["text"]
    stored = await stored_user(services, user.id)
    assert stored is not None and stored.role == Role.student and stored.school_id is None
    assert stored.registered_at is None


async def test_a_5000_character_message_gets_a_clear_answer(sim: Simulator) -> None:
    user = sim.user()
    [reply] = await user.send("法" * 5000)
    assert "太长" in reply.text


@pytest.mark.bot_errors_expected  # provoked on purpose
async def test_a_lost_database_is_reported_and_others_keep_being_served(
    sim: Simulator, services: Services
) -> None:
    from bot.db.session import Database

    user = sim.user()
    working = services.db
    services.db = Database("sqlite+aiosqlite:////nonexistent-folder/x/y.db")
    try:
        [reply] = await user.send("/start")
        assert "没有丢失" in reply.text
    finally:
        await services.db.dispose()
        services.db = working
    [reply] = await sim.user("别人").send("/start")
    assert "普法助手" in reply.text


async def test_commands_are_announced_in_both_languages(sim: Simulator) -> None:
    assert {c["command"] for c in sim.world.commands["zh"]} >= {
        "start",
        "quiz",
        "profile",
        "deleteme",
        "help",
    }
    assert sim.world.commands["en"][0]["description"] == "Start / main menu"


async def test_users_are_counted_once_however_often_they_write(sim: Simulator, services: Services) -> None:
    user = sim.user()
    for _ in range(3):
        await user.send("/start")
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.bot_errors_expected  # provoked on purpose
async def test_logs_never_hold_what_users_typed(sim: Simulator, services: Services, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    """A failing statement that carries the typed text is logged without its values."""
    import logging

    from sqlalchemy import text

    from bot.db import migrate
    from bot.db.session import Database

    broken = Database(f"sqlite+aiosqlite:///{tmp_path}/broken.db")
    await migrate.upgrade_engine(broken.engine)
    async with broken.engine.begin() as conn:
        await conn.execute(text("DROP TABLE faq_queries"))  # so that logging an unanswered question fails
    from bot.__main__ import setup_logging

    setup_logging("DEBUG")  # as `LOG_LEVEL=DEBUG python -m bot run` would
    caplog.set_level(logging.DEBUG)
    working, services.db = services.db, broken
    try:
        [reply] = await sim.user().send("幸福路8号楼下的路灯坏了找谁修")  # unanswerable: its logging fails
    finally:
        await broken.dispose()
        services.db = working
    assert "没有丢失" in reply.text
    logged = "\n".join(r.getMessage() + "\n" + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
                       for r in caplog.records)  # fmt: skip
    assert "faq_queries" in logged  # the failure is there, with its SQL ...
    assert "幸福路" not in logged  # ... but not what the user typed


async def test_registration_asked_for_by_campaign_goes_on_to_the_campaigns(sim: Simulator) -> None:
    pupil = sim.user("小刚")
    [asked] = await pupil.send("/campaign")
    assert "登记" in asked.text
    await pupil.press("学生")
    await pupil.send("城关一小")
    await pupil.press(0)
    await pupil.press("五年级")
    [campaigns] = await pupil.press("1班")
    assert "宪法宣传周" in " ".join(campaigns.button_texts)  # not the main menu
    [again] = await pupil.send("/start")
    assert "法律知识答题" in " ".join(again.button_texts)  # nothing left over: the next /start is as usual


async def test_a_teacher_who_pressed_student_can_choose_the_role_again(
    sim: Simulator, services: Services
) -> None:
    """A teacher who pressed 学生 by mistake had only a pupil's grade and class as a way on (an exploratory
    pass as teachers made up 七年级3班 to get out): each step of the school, grade and class offers the role
    question again."""
    user = sim.user("李老师")
    await user.send("/profile")
    await user.press("学生")
    assert "重新选择身份" in user.last.button_texts[-1]
    await user.send("城关中学")
    await user.press("城关中学")
    assert "请选择年级" in user.last.text and user.last.button_texts[-1] == "« 重新选择身份"
    await user.press("« 重新选择身份")
    assert user.last.button_texts == ["学生", "教职工", "家长 / 市民"]
    await user.press("教职工")
    await user.send("城关中学")
    await user.press("城关中学")
    stored = await stored_user(services, user.id)
    assert stored is not None and (stored.role, stored.school_id, stored.grade) == (Role.staff, "cg-j1", None)


async def test_a_school_the_district_has_not_is_not_found_and_cancel_leaves_the_question(
    sim: Simulator, services: Services
) -> None:
    """A pupils' pass: 阳光小学 had been answered 找到以下学校 with every 小学 of the district (a child taps the
    first), and 取消, 算了 or 取消修改 typed at the school or grade question were searched as schools, the reply
    without its 取消修改 button. Now the name is not found, the question comes again with its buttons, and
    取消 gives up a change in /profile (the profile as it was) or stops a first registration."""
    student = await register_student(sim)
    await student.send("/profile")
    await student.press("修改学校")
    [none] = await student.send("阳光小学")
    assert none.text.startswith("没有找到「阳光小学」这所学校"), none.text
    assert "城关街道" in none.button_texts and "取消修改" in none.button_texts
    [results] = await student.send("城关二小")  # a short form is found as before
    assert results.button_texts[0] == "城关第二小学"
    [cancelled] = await student.send("取消")
    assert cancelled.text == "已取消修改，您的资料没有变化。"
    assert (await stored_user(services, student.id)).school_id == "cg-p1"  # type: ignore[union-attr]
    await student.send("/profile")
    await student.press("修改年级和班级")
    [cancelled] = await student.send("算了")  # at the grade question too
    assert cancelled.text == "已取消修改，您的资料没有变化。"

    newcomer = sim.user("新来的")
    await newcomer.send("/profile")
    await newcomer.press("学生")
    [stopped] = await newcomer.send("取消")
    assert stopped.text.startswith("好的，先不登记了") and "/profile" in stopped.text
    [answer] = await newcomer.send("孩子几岁上小学")  # no longer read as a school's name
    assert "没有找到" not in answer.text


async def test_a_change_begun_in_profile_and_left_keeps_the_answers_before_it(
    sim: Simulator, services: Services
) -> None:
    """A teacher's pass: opening 修改学校 (or 修改身份) and going on to /quiz had asked a registered teacher to
    register again, with no way back (/cancel is no command, 取消 was read as a legal question)."""
    student = await register_student(sim)
    await student.send("/profile")
    await student.press("修改学校")
    assert "取消修改" in student.last.button_texts
    [kept, menu] = await student.send("/quiz")  # the change left: the answers before it, and the quiz
    assert kept.text == "上次在 /profile 开始的修改没有完成，已保留原来的资料。"
    assert menu.text.startswith("请选择要练习的法律")
    user = await stored_user(services, student.id)
    assert (
        user is not None
        and user.registered
        and (user.school_id, user.grade, user.class_no) == ("cg-p1", 3, 2)
    )

    await student.send("/profile")
    await student.press("修改身份")
    await student.press("取消修改")  # given up at once: said, and the profile as it was
    cancelled, profile = student.private.bot_messages[-2:]
    assert cancelled.text == "已取消修改，您的资料没有变化。" and "三年级2班" in profile.text
    user = await stored_user(services, student.id)
    assert user is not None and user.registered and user.role is Role.student and user.profile_before is None

    await student.send("/profile")  # a change finished is kept, and nothing of the one before is put back
    await student.press("修改年级和班级")
    await student.press("四年级")
    await student.press("1班")
    await student.send("/quiz")
    user = await stored_user(services, student.id)
    assert user is not None and (user.grade, user.class_no) == (4, 1) and user.profile_before is None
    await student.press(0, data="prof:keep")  # a forged or stale 取消修改: nothing to keep
    assert student.last_alert is not None and "失效" in student.last_alert["text"]


async def test_erasing_ones_data_gives_no_fresh_attempts_at_the_exam(
    sim: Simulator, services: Services
) -> None:
    """A teachers' pass: the staff exam allows two attempts, and /deleteme, then registering again, had given
    two more. The attempts used are kept by Telegram id alone until the exam ends, and /deleteme says so."""
    teacher = await registered(sim, role="教职工", name="王老师")
    await take_staff_exam(sim, services, teacher, right=5)  # 20 points: one attempt left
    [asked] = await teacher.send("/deleteme")
    assert "已用的参加次数会保留到活动结束" in asked.text
    await teacher.press("确认删除")
    async with services.db.transaction() as session:
        assert await session.get(User, teacher.id) is None
        kept = (await session.execute(select(SpentAttempts.campaign_id, SpentAttempts.used))).all()
    assert kept == [("staff-law-exam-2026", 1)]  # the number alone, by campaign
    again = teacher  # registering again, as the teacher did
    await again.send("/profile")
    await again.press("教职工")
    await again.send("城关中学")
    await again.press(0)
    await again.send("/campaign")
    await again.press("学法考试")
    assert "还可参加 1 次" in again.last.text
    await take_staff_exam(sim, services, again, right=25)
    await again.send("/campaign")
    await again.press("学法考试")
    assert "开始答题" not in again.last.button_texts
    # erasing again keeps both
    await again.send("/deleteme")
    await again.press("确认删除")
    async with services.db.transaction() as session:
        assert (await session.execute(select(SpentAttempts.used))).scalars().all() == [2]

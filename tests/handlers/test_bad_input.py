"""Bad input of every kind gets a clear answer and changes nothing it should not: control characters,
Unicode digits and huge numbers, a long broadcast, admin figures asked for in a group."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import FaqQuery, Grant
from bot.runtime import Services
from bot.sim import Simulator
from tests.conftest import ADMIN_ID, Clock


async def test_control_characters_are_stripped_at_the_edge(sim: Simulator, services: Services) -> None:
    parent = sim.user("家长")
    [answer] = await parent.send(
        "孩子几岁\x00可以上小学\x07"
    )  # a NUL made PostgreSQL refuse the whole update
    assert "出错" not in answer.text and "\x00" not in answer.text
    [answer] = await parent.send("\x00\x01\x02")  # nothing left: the categories, not an error
    assert answer.buttons
    async with services.db.transaction() as session:
        stored = await session.scalars(select(FaqQuery.text))
        assert all("\x00" not in text for text in stored)


async def test_numbers_are_ascii_digits_within_bounds(sim: Simulator, services: Services) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    for args in (
        "²⁵ district",
        "１２３ district",
        "99999999999999999999 district",
        "12 class cg-p1 5-²",
        "12 class cg-p1 5-",
        "",
        "12 school",
    ):
        [refused] = await admin.send(f"/grant {args}".strip())
        # a class that is no number names no class of the school (it had shown the usage, as /joinlink did not);
        # a class typed in full-width digits (５-1) is read as typed on a phone: tests/content/test_schools.py
        expected = "这所学校没有这个班级" if " class " in f" {args} " else "/grant"
        assert expected in refused.text, (args, refused.text)
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Grant)) == 0
    [refused] = await admin.send("/broadcast grade ²")
    assert refused.text.startswith("用法：/broadcast")  # it had said 这个按钮已失效


async def test_a_broadcast_may_be_as_long_as_the_prompt_says(sim: Simulator) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    await admin.send("/broadcast")
    [choose] = await admin.send("宪" * 2000)  # refused before: over the 1,000 characters meant for questions
    assert "全部用户" in choose.button_texts
    await admin.send("/broadcast")
    [refused] = await admin.send("宪" * 3600)
    assert "3500" in refused.text or "3,500" in refused.text or "太长" in refused.text


async def test_a_command_cancels_the_reply_a_prompt_waited_for(sim: Simulator) -> None:
    """After /broadcast, then /start and 招生入学咨询, the admin's enrollment question was taken as the
    broadcast's text and offered 全部用户: one more tap would have sent it to everyone. Any command now
    leaves the prompt; the question is answered."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [compose] = await admin.send("/broadcast")
    assert "任何命令即取消" in compose.text
    await admin.send("/start")
    [answer] = await admin.send("孩子几岁可以上小学")
    assert "全部用户" not in answer.button_texts and "小学" in answer.text


async def test_admin_figures_are_not_posted_into_a_group(sim: Simulator, clock: Clock) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    group = sim.group("五年级一班", admins=[admin])
    for command in ("/stats", "/chart", "/unanswered"):
        clock.advance(seconds=61)  # the pointer to the private chat is posted in a group once a minute
        [reply] = await admin.send(command, chat=group)
        assert "私聊" in reply.text and "参与" not in reply.text, command
    assert not any(m.photo for m in group.bot_messages)


async def test_a_rank_name_holds_no_phone_or_id_number_and_a_long_one_is_said_to_be_cut(
    sim: Simulator,
) -> None:
    """/name 13812345678 then /name show put a phone number on the class and school tables; a 60-character
    name was cut to 20 without a word."""
    pupil = sim.user("学生")
    # (a pupils' pass: a number spelt in Chinese numerals or spaced out had been taken)
    for typed in (
        "13812345678",
        "QQ 123456789",
        "我叫李小明",
        "小明 一三八一二三四五六七八",
        "QQ 1234 5678 9",
    ):
        [refused] = await pupil.send(f"/name {typed}")
        assert "不能有电话号码" in refused.text, typed
    [current] = await pupil.send("/name")
    assert "匿名" in current.text  # nothing was kept
    [cut, shown] = await pupil.send("/name " + "小明" * 30)
    assert "已截短" in cut.text and "小" in shown.text


async def test_a_rank_name_holds_no_insult_link_or_symbols_and_showing_it_in_full_warns(
    sim: Simulator,
) -> None:
    """A pupils' exploratory pass: /name 李华是笨蛋 put an insult about a classmate at the top of the class's
    table, and links and @handles were taken too; /name show put a child's full name up with no word."""
    pupil = sim.user("学生")
    await pupil.send("/name 小明")
    for typed in (
        "李华是笨蛋",
        "傻逼",
        "@admin https://t.me/x",
        "SB",
        "小明♥♥",
        "王小明是猪",
        "死胖子",
        "李老师是狗",
        # another pupils' pass: pinyin and sound-alikes had got past (shown in full to class and school)
        "caonima",
        "ShaBi",
        "wocao",
        "煞笔",
        "rnm",
        "我是你爹",
    ):
        [refused] = await pupil.send(f"/name {typed}")
        assert "骂人的话" in refused.text, typed
    [current] = await pupil.send("/name")
    assert "小*" in current.text and "请发送要在排名表里显示的名字" in current.text  # the name before stands
    [kept] = await pupil.send("取消")
    assert kept.text == "名字没有改。"
    for fine in ("Fatima", "Cao Yu", "Sabina", "王·小明", "小猪佩奇", "学霸007"):
        [kept] = await pupil.send(f"/name {fine}")
        assert "排名表中显示的名字" in kept.text, fine
    [warned, shown] = await pupil.send("/name show")
    assert "不要用真实姓名" in warned.text and "学霸007" in shown.text


async def test_a_bare_name_command_waits_for_the_name(sim: Simulator) -> None:
    """A pupils' pass: 张伟 typed after /name went to the FAQ as a question, and was kept with the questions."""
    pupil = sim.user("学生")
    await pupil.send("/name")
    [named] = await pupil.send("张伟")
    assert named.text.startswith("排名表中显示的名字：张*")
    await pupil.send("/name")
    [refused] = await pupil.send("李华是笨蛋")  # refused as /name 李华是笨蛋 is
    assert "骂人的话" in refused.text
    await pupil.send("/name")
    [answer] = await pupil.send("孩子几岁可以上小学？")  # a question is answered as one
    assert answer.text.startswith("❓")
    [again] = await pupil.send("/name")
    assert "张*" in again.text


async def test_a_broadcast_to_nobody_is_not_offered_for_confirmation(sim: Simulator) -> None:
    """A broadcast to 教职工 with no staff registered showed 共 0 人 with ✅ 确认发送, then 群发完成：已送达 0 人."""
    admin = sim.user("管理员", user_id=ADMIN_ID)
    await admin.send("/broadcast")
    [choose] = await admin.send("明天停课")
    await admin.press("教职工", message=choose)
    assert "还没有人" in choose.text and "确认发送" not in " ".join(choose.button_texts)
    await admin.press("全部用户", message=choose)  # another audience still may be chosen
    assert "确认发送" in " ".join(choose.button_texts)

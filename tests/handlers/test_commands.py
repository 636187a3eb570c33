"""The command table as users meet it: /help lists what each user may use, a command sent in the wrong
kind of chat says where it works, and Telegram's command menus match the table."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.content.bundle import Content
from bot.db.models import Attempt, User
from bot.handlers.commands import COMMANDS, Where, Who
from bot.runtime import Services
from bot.sim import Simulator
from tests.conftest import ADMIN_ID, Clock
from tests.handlers.helpers import registered


def commands_in(text: str) -> set[str]:
    return {line.split(" — ")[0].lstrip("/") for line in text.splitlines() if line.startswith("/")}


def test_every_command_has_its_words_in_both_languages(content: Content) -> None:
    for language in ("zh", "en"):
        missing = [
            c.name for c in COMMANDS if content.i18n.t(language, f"commands.{c.name}") == f"commands.{c.name}"
        ]
        assert not missing, f"{language}: {missing}"


async def test_help_lists_what_each_user_may_use(sim: Simulator) -> None:
    [pupil_help] = await sim.user("小明").send("/help")
    listed = commands_in(pupil_help.text)
    assert {"quiz", "name", "unsubscribe", "law", "help"} <= listed  # /name and /unsubscribe were missing
    assert not listed & {"stats", "export", "broadcast", "grant", "groupquiz"}  # admins' and groups' own
    assert "管理员命令" not in pupil_help.text

    admin = sim.user("管理员", user_id=ADMIN_ID)
    [admin_help] = await admin.send("/help")
    assert "管理员命令" in admin_help.text
    assert {
        "stats",
        "export",
        "chart",
        "broadcast",
        "grant",
        "revoke",
        "unanswered",
        "reload",
    } <= commands_in(admin_help.text)

    teacher = await registered(sim)
    await admin.send(f"/grant {teacher.id} school cg-j1")
    [teacher_help] = await teacher.send("/help")
    granted = commands_in(teacher_help.text)
    # a school admin may grant class rights within the school and read its audit, but not broadcast or reload
    assert {"stats", "export", "chart", "grant", "grants", "audit", "missing", "joinlink"} <= granted
    assert not granted & {"broadcast", "reload"}

    class_teacher = await registered(sim, name="李老师")
    await admin.send(f"/grant {class_teacher.id} class cg-p1 5-1")
    [class_help] = await class_teacher.send("/help")
    listed = commands_in(class_help.text)
    assert {"stats", "missing", "remind", "joinlink", "roster"} <= listed
    assert not listed & {"grant", "grants", "audit", "broadcast"}  # a class teacher grants nobody


async def test_help_in_a_group_lists_the_group_commands(sim: Simulator) -> None:
    teacher = sim.user("王老师")
    group = sim.group("五年级一班", admins=[teacher])
    [shown] = await teacher.send("/help", chat=group)
    listed = commands_in(shown.text)
    assert {"groupquiz", "stopquiz", "grouprank", "law"} <= listed and "quiz" not in listed


async def test_a_command_in_the_wrong_kind_of_chat_says_where_it_works(sim: Simulator) -> None:
    pupil = sim.user("小明")
    [reply] = await pupil.send("/groupquiz 宪法 3")
    assert "班级群" in reply.text and "没有这个命令" not in reply.text
    group = sim.group("五年级一班")
    [reply] = await pupil.send("/quiz", chat=group)
    assert "私聊" in reply.text and reply.buttons  # a button to open the private chat
    [reply] = await pupil.send("/nosuchcommand")
    assert reply.text.startswith("没有这个命令")


async def test_a_private_features_button_pressed_in_a_group_is_refused_as_its_command(
    sim: Simulator, services: Services
) -> None:
    """A robustness pass: forged data on the bot's answer in a group ran the presser's private features there
    (quiz:menu made the answer their practice menu, quiz:go posted their question in the group, del:ask asked
    there whether to erase their data). Refused as their commands are, nothing changed; the answer's own
    buttons work."""
    asker = await registered(sim, "教职工", "王老师")
    other = await registered(sim, "教职工", "李老师")
    group = sim.group("五年级一班", admins=[asker])
    [answer] = await asker.send("@pufa_sim_bot 孩子几岁可以上小学", chat=group)
    text, buttons = answer.text, answer.buttons
    for data in ["quiz:menu", "quiz:go:all:practice:10", "quiz:law:all", "del:ask", "del:yes", "lang:menu",
                 "lang:en", "menu:quiz", "prof:change:school", "q:n:1:1", "faq:human", "camp:o:constitution-day-2026"]:  # fmt: skip
        assert await other.press(0, message=answer, data=data) == [], data
        assert other.last_alert is not None and other.last_alert["show_alert"], data
        assert other.last_alert["text"] == "这个功能涉及个人信息，请在与我的私聊中使用。", data
        assert (answer.text, answer.buttons, answer.edits) == (text, buttons, 0), data
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Attempt)) == 0
        assert await session.scalar(select(User.language).where(User.id == other.id)) == "zh"
    [article] = await other.press("原文 第十一条", message=answer)  # the answer's own buttons, in the group
    assert article.text.startswith("📖 《义务教育法》第十一条") and article.chat_id == group.id
    [related] = await other.press("小学一年级什么时候报名？", message=answer)
    assert related.text.startswith("❓ ") and related.chat_id == group.id
    assert await other.press("👍 有帮助", message=answer) == [] and other.last_alert is not None
    assert "谢谢" in other.last_alert["text"]


async def test_the_command_menus_follow_the_table(sim: Simulator) -> None:
    private = {c["command"] for c in sim.world.commands["zh"]}
    groups = {c["command"] for c in sim.world.commands["all_group_chats/zh"]}
    admin = {c["command"] for c in sim.world.commands[f"chat:{ADMIN_ID}/zh"]}
    table = {c.name: c for c in COMMANDS}
    assert private == {n for n, c in table.items() if c.who is Who.everyone and c.where is not Where.groups}
    assert groups == {n for n, c in table.items() if c.who is Who.everyone and c.where is not Where.private}
    assert admin >= private | {"stats", "broadcast", "grant"} and not admin & {"groupquiz"}
    assert sim.world.commands["all_group_chats/en"][0]["description"] == "Start / main menu"


async def test_language_takes_its_argument(sim: Simulator) -> None:
    user = sim.user("Tom")
    [done] = await user.send("/language en")
    assert done.text.startswith("Language set to English.")
    [shown] = await user.send("/help")
    assert shown.text.startswith("Commands:")
    [chooser] = await user.send("/language")
    assert chooser.button_texts == ["中文", "English"]


async def test_lang_is_language(sim: Simulator) -> None:
    """An English teacher's pass: /lang, the usual short name, had been told "Unknown command"; it is /language
    (not listed: the menus and /help name /language only)."""
    user = sim.user("Tom", language_code="en")
    [chooser] = await user.send("/lang")
    assert chooser.text == "请选择语言 / Choose your language:" and chooser.button_texts == [
        "中文",
        "English",
    ]
    [done] = await user.send("/lang zh")
    assert done.text == "已切换为中文。"
    assert "/lang " not in (await user.send("/help"))[0].text
    assert "lang" not in {c["command"] for c in sim.world.commands["zh"]}


async def test_a_parent_is_not_offered_a_school_to_change(sim: Simulator) -> None:
    parent = sim.user("家长")
    await parent.send("/profile")
    await parent.press("家长")
    [profile] = await parent.send("/profile")
    assert "修改学校" not in " ".join(profile.button_texts) and "修改身份" in " ".join(profile.button_texts)
    teacher = await registered(sim)
    [profile] = await teacher.send("/profile")
    assert "修改学校" in " ".join(profile.button_texts)


async def test_a_class_sending_commands_at_once_gets_each_group_notice_once_a_minute(
    sim: Simulator, clock: Clock
) -> None:
    """A class told to add the bot sent /start, /rank, /help … together in the class group, and each got its
    own answer: forty notices in the group, which at Telegram's twenty messages a minute held up the round's
    polls for minutes. A notice already posted in the group within the minute is not posted again; the
    private chat answers every time."""
    teacher = sim.user("王老师")
    group = sim.group("五年级一班", admins=[teacher])
    pupils = [sim.user(f"学生{n}") for n in range(6)]
    for pupil in pupils:
        await pupil.send("/start", chat=group)
        await pupil.send("/rank", chat=group)
        await pupil.send("/quiz@pufa_sim_bot", chat=group)
        await pupil.send("/help", chat=group)
    texts = [m.text or "" for m in group.bot_messages]
    assert len(texts) == 3, texts
    assert texts[0].startswith("您好！个人功能") and texts[1].startswith("这个功能涉及个人信息")
    assert texts[2].startswith("可用命令")
    started = await teacher.send("/groupquiz 宪法 3", chat=group)  # what is asked of the bot still answers
    assert "群答题开始" in started[0].text
    clock.advance(seconds=61)
    [again] = await pupils[0].send("/rank", chat=group)
    assert again.text.startswith("这个功能涉及个人信息")
    for _ in range(2):  # in private, every time
        [reply] = await pupils[0].send("/help")
        assert reply.text.startswith("可用命令")


async def test_an_admin_s_help_in_a_group_is_not_silenced_by_a_pupil_s(sim: Simulator) -> None:
    """/help in a group is posted once a minute; an admin's lists more than a pupil's (/reload for a super admin):
    sent a moment after a pupil's, it had got nothing."""
    teacher, pupil = sim.user("王老师"), sim.user("学生")
    admin = sim.user("管理员", user_id=ADMIN_ID)
    group = sim.group("五年级一班", admins=[teacher])
    [pupils] = await pupil.send("/help", chat=group)
    assert "/reload" not in pupils.text
    [admins] = await admin.send("/help", chat=group)
    assert "/reload" in admins.text
    assert await pupil.send("/help", chat=group) == []  # the pupils' is still once a minute

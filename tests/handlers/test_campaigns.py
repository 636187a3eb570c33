"""Campaigns end to end: joining, the exam, ranks, certificates, admin statistics and exports, the
daily reading job, broadcasts, and the rights that guard them."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import zipfile
from unittest.mock import ANY

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import BroadcastDelivery, ItemTally, OptionTally, ReadingDelivery, User
from bot.db.stats import rebuild_tallies
from bot.domain import Scope
from bot.runtime import BotContext, Services
from bot.services.broadcast import IN_FLIGHT
from bot.sim import Simulator, SimUser
from tests.conftest import ADMIN_ID, Clock
from tests.handlers.helpers import answer, registered, run_job, school_admin

CONSTITUTION_DAY = "constitution-day-2026"


async def pupil(sim: Simulator, name: str) -> SimUser:
    return await registered(sim, role="学生", name=name)  # 城关第一小学 五年级 1班


async def take_contest(sim: Simulator, services: Services, user: SimUser, right: int) -> None:
    await user.send("/campaign")
    await user.press("宪法宣传周")
    messages = await user.press("开始答题")
    question = messages[-1]
    for number in range(15):
        sent = await answer(user, services.content, question, correctly=number < right)
        if number < 14:
            question = sent[-1]


async def test_a_student_takes_the_contest_and_gets_rank_and_certificate(
    sim: Simulator, services: Services
) -> None:
    student = await pupil(sim, "张三")
    [listing] = await student.send("/campaign")
    assert any("宪法宣传周" in b for b in listing.button_texts)
    assert not any("春季学期" in b for b in listing.button_texts)  # grades 7–12 only
    await take_contest(sim, services, student, right=14)
    summary = student.last
    assert "得分：93 分" in summary.text and "优秀" in summary.text
    assert summary.button_texts == ["🏅 我的排名", "🎓 领取证书"]
    [rank] = await student.press("我的排名", message=summary)
    assert "我的成绩：93 分" in rank.text and "班级排名：第 1 名（共 1 人）" in rank.text
    await student.press("领取证书", message=summary)
    assert "不会保存" in student.last.text
    await student.send("张三")
    assert student.last.photo is not None and "电子证书" in (student.last.caption or "")
    async with services.db.transaction() as session:
        stored = await session.get(User, student.id)
    assert (
        stored is not None and stored.display_name is None and stored.awaiting is None
    )  # the name is not kept


async def test_attempts_are_limited_and_a_closed_campaign_says_so(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    student = await pupil(sim, "李四")
    for _ in range(3):
        await take_contest(sim, services, student, right=3)
    await student.send("/campaign")
    details = await student.press("宪法宣传周")
    card = details[-1].text if details else student.last.text or ""
    assert "参加次数已用完" in card and "还可参加" not in card
    clock.advance(days=10)
    await student.send("/campaign")
    await student.press("宪法宣传周")
    assert "活动已结束" in student.last.text


async def tallies(session: AsyncSession) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    items = await session.execute(select(ItemTally.campaign_id, ItemTally.school_id, ItemTally.question_id,
                                         ItemTally.answers, ItemTally.wrong))  # fmt: skip
    options = await session.execute(select(OptionTally.campaign_id, OptionTally.school_id, OptionTally.question_id,
                                           OptionTally.option, OptionTally.chosen))  # fmt: skip
    return sorted(map(tuple, items.all())), sorted(map(tuple, options.all()))


async def test_admin_statistics_export_and_rights(sim: Simulator, services: Services) -> None:
    for name, right in (("甲", 15), ("乙", 9), ("丙", 5)):
        await take_contest(sim, services, await pupil(sim, name), right)
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [report] = await admin.send(f"/stats {CONSTITUTION_DAY}")
    assert "参与 3 人" in report.text and "完成 3 人" in report.text
    # the other campaigns it could be asked about, at its end (a district admin had not found the staff exam)
    assert report.text.endswith("其他活动：\n· 2026年度教职工学法考试：/stats staff-law-exam-2026")
    # … but not to a class teacher, whom the staff exam does not concern (a last pass: suggested, then refused)
    teacher = sim.user("王老师")
    await teacher.send("/myid")
    await admin.send(f"/grant {teacher.id} class cg-p1 5-1")
    [own] = await teacher.send(f"/stats {CONSTITUTION_DAY}")
    assert "参与 3 人" in own.text and "staff-law-exam-2026" not in own.text
    assert "通过率 66.7%" in report.text and "优秀率 33.3%" in report.text and "中位数 60.0" in report.text
    assert "城关第一小学" in report.text
    assert "尚无人参与的学校（23 所）" in report.text  # every school but 城关第一小学, named first
    # the hardest questions come from the tallies the quiz engine keeps as each attempt ends
    assert "错得最多的题目" in report.text and re.search(r"（作答 \d+ 次，错 \d+ 次）", report.text)
    async with services.db.transaction() as session:  # what the engine counted is what a recount gives
        live = await tallies(session)
        await rebuild_tallies(session)
        assert await tallies(session) == live and all(live)  # answers per question, and per option chosen
    [drill] = await admin.send(f"/stats school cg-p1 {CONSTITUTION_DAY}")
    assert "5年级1班" in drill.text and "参与 3（参与率 6.5%）" in drill.text
    # the school as a whole, and the classes of grades 3-6 nobody took part in (8 a grade, 5-1 did)
    assert drill.text.splitlines()[1].startswith("全校：参与 3（参与率 0.2%）")
    assert "尚无人参与的班级（31 个）：3年级1班、3年级2班" in drill.text and "5年级1班、" not in drill.text
    # by name too (nothing in the bot shows a school's id), and an unknown school is said to be one (a
    # super admin had been told 这个命令只有管理员可以使用)
    [by_name] = await admin.send(f"/stats school 城关第一小学 {CONSTITUTION_DAY}")
    assert by_name.text == drill.text
    # the campaign first (an admins' pass: the district's summary came, the school dropped without a word)
    [campaign_first] = await admin.send(f"/stats {CONSTITUTION_DAY} school 城关第一小学")
    assert campaign_first.text == drill.text
    [unknown] = await admin.send("/stats school 城关第九小学")
    assert unknown.text.startswith("没有找到学校「城关第九小学」")
    # a short form registration understands (an admins' pass: 城关一小) is suggested, not taken
    [short] = await admin.send("/stats school 城关一小")
    assert short.text.startswith(
        "没有找到学校「城关一小」。您是不是指：城关第一小学"
    )  # no id (an admins' pass)
    assert "cg-p1" not in short.text
    [several] = await admin.send("/stats school 城关")  # four schools' names hold it (it had said none did)
    assert (
        several.text.startswith("有多所学校的名称含「城关」：")
        and "城关第一小学、城关第二小学、城关中学" in several.text
    )
    [verified] = await admin.send(
        f"/stats school cg-p1 {CONSTITUTION_DAY} verified"
    )  # said as /stats says it
    assert verified.text.splitlines()[0].endswith("（仅统计经加入链接确认的成员）")  # none here
    # nobody took part: the classes that have not, not 还没有数据 alone (an admins' pass); a kindergarten is
    # told the contest is not for it
    assert "尚无人参与的班级" in verified.text
    [kindergarten] = await admin.send(f"/stats school cg-k1 {CONSTITUTION_DAY}")
    assert kindergarten.text.splitlines()[1] == "这个活动不面向这所学校的班级或教职工。"
    [unnamed] = await admin.send("/stats school")  # it said 没有这个活动, "school" taken for a campaign
    assert unnamed.text.startswith("请写明学校，例如 /stats school 城关第一小学")
    # a campaign named by a word of its title: /stats 学法考试 had said 没有这个活动, and nothing in the bot
    # shows an admin the campaigns' ids; a name that finds none lists them
    [exam] = await admin.send("/stats 学法考试")
    assert exam.text.startswith("📊 " + services.content.campaigns["staff-law-exam-2026"].title)
    [none] = await admin.send("/stats 期末考试")
    assert none.text.startswith("没有找到这个活动") and "staff-law-exam-2026（" in none.text
    # a word of several titles (an admins' pass: 竞赛 and 2026 had said 没有找到这个活动): the one that has
    # started (next spring's contest has not), else the ones it names
    [contest] = await admin.send("/stats 竞赛")
    assert contest.text.startswith("📊 " + services.content.campaigns[CONSTITUTION_DAY].title)
    [several] = await admin.send("/stats 2026")
    assert several.text.startswith("有多个活动的名称含「2026」") and "staff-law-exam-2026（" in several.text
    async with services.db.transaction() as session:
        [row] = await services.stats.classes(
            session, services.content.campaigns[CONSTITUTION_DAY], Scope(schools=frozenset({"cg-p1"}))
        )
    assert row.enrolled == 46 and row.participation == 3 / 46  # class size from schools.yaml
    charts = await admin.send(f"/chart {CONSTITUTION_DAY}")
    assert len(charts) == 2 and all(m.photo is not None for m in charts)
    # 01:00 on December 2 in China, still the 1st in UTC
    services.clock.advance(hours=16)  # type: ignore[attr-defined]
    sent = await admin.send(f"/export {CONSTITUTION_DAY}")
    assert [m.document is not None for m in sent] == [True, True]
    # named after the day 导出时间 says (it had been UTC's)
    names = [m.document["file_name"] for m in sent]  # type: ignore[index]
    assert names == [f"{CONSTITUTION_DAY}-20261202.xlsx", f"{CONSTITUTION_DAY}-20261202-csv.zip"]
    # the workbook and the archive the admin received, opened as the admin would
    xlsx, archive = (sim.world.files[m.document["file_id"]] for m in sent)  # type: ignore[index]
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["说明", "汇总", "镇街", "学校", "班级", "证书登记", "未通过人员", "题目分析"]
    assert ("导出时间", "2026-12-02 01:00 (CST)") in list(book["说明"].values)
    # the certificate register: the two who passed (15 and 9 right), numbered, without names
    register = list(book["证书登记"].values)[1:]
    assert sorted((row[0], row[1], row[4], row[6]) for row in register) == [
        (1, "城关第一小学", 100, "优秀"),
        (2, "城关第一小学", 60, "合格"),
    ]
    assert list(book["未通过人员"].values)[1:] == [(3, "城关第一小学", 5, 1, 33, ANY, "未通过")]
    cells = [str(cell) for sheet in book for row in sheet.values for cell in row]
    assert not any(name in cell for name in "甲乙丙" for cell in cells)  # pseudonymous
    assert sorted(zipfile.ZipFile(io.BytesIO(archive)).namelist()) == [
        "certificates.csv", "classes.csv", "items.csv", "not_passed.csv", "notes.csv", "schools.csv",
        "summary.csv", "towns.csv"]  # fmt: skip
    items = list(book["题目分析"].values)[1:]
    assert items and all(0 <= row[6] <= 1 and row[7] is None for row in items)  # 3 takers: too few
    assert all(row[7] is not None for row in register)  # when they passed


async def test_the_hardest_questions_are_ones_somebody_got_wrong(sim: Simulator, services: Services) -> None:
    """With one pupil, all right, /stats listed five of their questions under 错得最多的题目 as （错 0/1）."""
    await take_contest(sim, services, await pupil(sim, "甲"), 15)
    [report] = await sim.user("管理员", user_id=ADMIN_ID).send(f"/stats {CONSTITUTION_DAY}")
    assert "参与 1 人" in report.text and "错得最多的题目" not in report.text


async def test_scores_name_the_campaign_an_attempt_was_for(sim: Simulator, services: Services) -> None:
    """/scores listed a contest's result as 综合（全部法律） 模拟考试：80, and its best beside the mock exams'."""
    user = await pupil(sim, "甲")
    await take_contest(sim, services, user, 12)
    [scores] = await user.send("/scores")
    title = services.content.campaigns[CONSTITUTION_DAY].title
    assert f"{title}：80 分" in scores.text and f"{title}：80 分（共 1 次）" in scores.text
    assert "模拟考试" not in scores.text


async def test_a_failed_attempt_says_whether_the_campaign_may_be_taken_again(
    sim: Simulator, services: Services
) -> None:
    """不合格，再接再厉！ was said after the last of a campaign's attempts too; now it says how many are left,
    and when none are, that they are used up."""
    user = await pupil(sim, "甲")
    for left in (2, 1, 0):  # the contest allows three
        await take_contest(sim, services, user, 3)
        result = next(m for m in reversed(user.private.bot_messages) if "结果" in (m.text or ""))
        if left:
            assert f"结果：不合格。还可以再参加 {left} 次" in result.text
            # … with the way to it (a teachers' pass: 我的排名 had been the only button)
            assert result.button_texts[0] == "🔁 再参加一次"
            await user.press("🔁 再参加一次", message=result)  # the campaign's card, to start from
            assert f"还可参加 {left} 次" in user.last.text and "▶️ 开始答题" in user.last.button_texts
        else:
            assert "结果：不合格（答题次数已用完）" in result.text
            assert "🔁 再参加一次" not in result.button_texts


async def test_a_weaker_retake_says_the_better_earlier_attempt_is_what_counts(
    sim: Simulator, services: Services
) -> None:
    """A teacher's pass: a retake answered badly said 结果：不合格（答题次数已用完） alone, though the earlier 100
    still counts (and /rank and the certificate say so): it reads as the year's exam failed."""
    user = await pupil(sim, "甲")
    await take_contest(sim, services, user, 15)
    first = next(m for m in reversed(user.private.bot_messages) if "结果" in (m.text or ""))
    assert "计入成绩" not in first.text  # the first attempt is the one that counts
    await take_contest(sim, services, user, 3)
    result = next(m for m in reversed(user.private.bot_messages) if "结果" in (m.text or ""))
    assert "得分：20 分" in result.text and "结果：不合格。还可以再参加 1 次" in result.text
    assert "📌 计入成绩的是您之前更好的一次：100 分，优秀。" in result.text
    assert (
        "🎓 领取证书" in result.button_texts
    )  # the year's exam is passed (a teachers' pass: none was offered)
    await take_contest(sim, services, user, 14)  # better than the second, not than the first
    result = next(m for m in reversed(user.private.bot_messages) if "结果" in (m.text or ""))
    assert "得分：93 分" in result.text and "计入成绩的是您之前更好的一次：100 分" in result.text


async def test_an_ended_campaign_offers_no_attempts(sim: Simulator, clock: Clock) -> None:
    """An ended contest's card said 还可参加 3 次 beside 活动已结束, and its old 开始答题 button then refused."""
    user = await pupil(sim, "甲")
    clock.advance(days=10)  # past 12-07 22:00
    [card] = await user.send("/campaign")
    await user.press("宪法宣传周")  # the list gives way to the card
    assert "活动已结束" in card.text and "还可参加" not in card.text and "开始答题" not in card.button_texts


async def test_rights_come_from_grants_and_stay_within_them(sim: Simulator, services: Services) -> None:
    await take_contest(sim, services, await pupil(sim, "甲"), 12)
    nobody = sim.user("路人")
    for command in ("/stats", "/export", "/chart", "/grant 1 district", "/broadcast"):
        [refused] = await nobody.send(command)
        assert "只有管理员" in refused.text, command
    admin = sim.user("管理员", user_id=ADMIN_ID)
    head = sim.user("校长")
    await head.send("/myid")
    await admin.send(f"/grant {head.id} school cg-p2")
    [own] = await head.send(f"/stats {CONSTITUTION_DAY}")
    assert "参与 0 人" in own.text and "城关第一小学" not in own.text  # only their own school
    [refused] = await head.send(f"/stats school cg-p1 {CONSTITUTION_DAY}")
    assert refused.text == "这超出了您的管理权限范围。"
    [denied] = await head.send(f"/grant {head.id} district")
    assert denied.text == "这超出了您的管理权限范围。"  # a school admin cannot widen their own rights
    await admin.send(f"/revoke {head.id} school cg-p2")
    [gone] = await head.send(f"/stats {CONSTITUTION_DAY}")
    assert "只有管理员" in gone.text
    group = sim.group("五年级一班", admins=[admin])
    [private] = await admin.send(f"/export {CONSTITUTION_DAY}", chat=group)
    assert "私聊" in private.text


async def test_the_reading_names_its_law_in_the_reader_s_language(sim: Simulator) -> None:
    """In English the reading's header said 📖 Constitution reading · 宪法 第一条, the law in Chinese where
    every question header says Constitution."""
    student = await pupil(sim, "王五")
    await student.send("/campaign")
    await student.press("宪法宣传周")
    await student.press("订阅晨读")
    await student.send("/language en")
    await run_job(sim, "daily-reading")
    [reading] = [
        m for m in student.private.bot_messages if (m.text or "").startswith("📖 Constitution reading")
    ]
    assert reading.text.startswith("📖 Constitution reading · Constitution 第一条")


async def test_the_daily_reading_is_sent_once_a_day_and_stops_on_unsubscribe(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    student = await pupil(sim, "王五")
    await student.send("/campaign")
    await student.press("宪法宣传周")
    await student.press("订阅晨读")
    await run_job(sim, "daily-reading")
    await run_job(sim, "daily-reading")
    readings = [m for m in student.private.bot_messages if (m.text or "").startswith("📖 宪法晨读")]
    assert len(readings) == 1 and "第一条" in readings[0].text
    [check] = await student.press("做一道小题", message=readings[0])
    assert check.text.startswith("📝 第 1/1 题")
    # its one question gets feedback, and counts in no score: it had ended 结果：不合格，再接再厉！ with 再来一次
    # (the practice law list) and shown in /scores as 《宪法》 练习：0
    sent = await answer(student, services.content, check, correctly=False)
    assert sent[-1].text.startswith("✅ 今天的晨读小题完成了") and "不合格" not in sent[-1].text
    [scores] = await student.send("/scores")
    assert "练习" not in scores.text
    clock.advance(hours=22)  # 07:00 on 12-02: before the 07:30 sending time
    await run_job(sim, "daily-reading")
    assert len([m for m in student.private.bot_messages if (m.text or "").startswith("📖 宪法晨读")]) == 1
    clock.advance(minutes=31)
    await run_job(sim, "daily-reading")
    readings = [m for m in student.private.bot_messages if (m.text or "").startswith("📖 宪法晨读")]
    assert len(readings) == 2 and "第二条" in readings[-1].text
    await student.send("/unsubscribe")
    clock.advance(days=1)
    await run_job(sim, "daily-reading")
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ReadingDelivery)) == 2


async def test_a_double_tap_of_start_shows_the_first_question_once(sim: Simulator) -> None:
    """A pupils' exploratory pass: five taps of 开始答题 at once sent 第 1 题 five times (one attempt)."""
    teacher = await registered(sim)
    await teacher.send("/campaign")
    await teacher.press("学法考试")
    card = teacher.last
    await teacher.press("开始答题", message=card)
    again = await teacher.press("开始答题", message=card)
    assert not again and teacher.last_alert is not None and "考试已经开始了" in teacher.last_alert["text"]
    firsts = [m for m in teacher.private.bot_messages if (m.text or "").startswith("📝 第 1/")]
    assert len(firsts) == 1


async def test_an_exam_under_way_is_carried_on_from_its_card(sim: Simulator, services: Services) -> None:
    """Mid-exam, the card said 还可参加 1 次 with ▶️ 开始答题 and 📋 答题回顾 (which said 还没有您的成绩), as if the
    attempt were lost; it now says the exam is under way and offers to carry on with it, also when it is
    the last attempt."""
    teacher = await registered(sim)
    await teacher.send("/campaign")
    await teacher.press("学法考试")
    [*_, first] = await teacher.press("开始答题")
    [*_, second] = await answer(teacher, services.content, first)
    await teacher.send("/campaign")
    await teacher.press("学法考试")
    card = teacher.last
    assert "您正在答题，交卷后还可参加 1 次" in card.text
    assert "▶️ 继续答题" in card.button_texts and "📋 答题回顾" not in card.button_texts
    [resumed] = await teacher.press("▶️ 继续答题", message=card)
    assert resumed.text == second.text
    question = resumed
    for _ in range(24):  # finished; the second, last attempt begins
        [*_, question] = await answer(teacher, services.content, question)
    await teacher.send("/campaign")
    await teacher.press("学法考试")
    [*_, first] = await teacher.press("开始答题", message=teacher.last)
    await answer(teacher, services.content, first)
    await teacher.send("/campaign")
    await teacher.press("学法考试")
    card = teacher.last
    assert "您正在答题，这是最后一次" in card.text
    assert "▶️ 继续答题" in card.button_texts and "📋 答题回顾" in card.button_texts  # the first one's


async def test_the_reading_s_question_never_drops_a_quiz_under_way(
    sim: Simulator, services: Services
) -> None:
    """✏️ 做一道小题 (maybe on the morning's message, far up the chat) abandoned a practice quiz under way
    without a word; it now offers to carry on with it, as /quiz does. A reading question left unanswered
    is simply replaced: it is one question."""
    student = await pupil(sim, "王五")
    await student.send("/campaign")
    await student.press("宪法宣传周")
    await student.press("订阅晨读")
    await run_job(sim, "daily-reading")
    [reading] = [m for m in student.private.bot_messages if (m.text or "").startswith("📖 宪法晨读")]
    [check] = await student.press("做一道小题", message=reading)
    [again] = await student.press("做一道小题", message=reading)  # a second tap: the same kind, replaced
    assert again.text.startswith("📝 第 1/1 题")
    await answer(student, services.content, again, correctly=True)
    await student.send("/quiz")
    await student.press("《宪法》")
    [first] = await student.press("练习 10 题")
    [asked] = await student.press("做一道小题", message=reading)
    assert "未完成的答题（第 1/10 题）" in asked.text and asked.button_texts == ["▶️ 继续", "🔄 重新开始"]
    [resumed] = await student.press("▶️ 继续", message=asked)
    assert resumed.text == first.text


async def test_a_practice_under_way_is_offered_to_end_when_the_contest_is_started(
    sim: Simulator, services: Services
) -> None:
    """A last pass as pupils: 开始答题 with a practice quiz under way showed 您有一次未完成的答题 (not said to be
    practice), and its 重新开始 led to the practice's law picker, not the contest."""
    student = await pupil(sim, "甲")
    await student.send("/quiz")
    await student.press("《宪法》")
    [practice] = await student.press("练习 10 题")
    await student.send("/campaign")
    await student.press("宪法宣传周")
    [asked] = await student.press("开始答题")
    assert "未完成的练习（第 1/10 题）" in asked.text and "宪法宣传周" in asked.text
    assert asked.button_texts == ["▶️ 继续练习", "✅ 结束练习，开始答题"]
    [resumed] = await student.press("▶️ 继续练习", message=asked)
    assert resumed.text == practice.text  # carried on, nothing dropped
    assert asked.button_texts == []  # the card's buttons go with it (an old one's had dropped a quiz later)
    await student.send("/campaign")
    await student.press("宪法宣传周")
    [asked] = await student.press("开始答题")
    started = await student.press("✅ 结束练习，开始答题", message=asked)
    assert started[-1].text.startswith("📝 第 1/15 题")
    # the button names the practice it ends: pressed again, it never gives up the exam now under way (a
    # double tap sends no second question)
    assert await student.press("✅ 结束练习，开始答题", message=asked) == []
    [card] = await student.send("/quiz")
    assert (
        card.text.startswith("您有一场考试正在进行：")
        and "宪法宣传周" in card.text
        and "（第 1/15 题）" in card.text
    )


@pytest.mark.bot_errors_expected  # stopping mid-send cancels a statement: the pool logs the connection it drops
async def test_a_broadcast_interrupted_by_a_restart_resumes_without_second_copies(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    from bot.app import build_application, on_startup
    from bot.sim.simulator import SIM_TOKEN, SimRequest

    text = "12月4日是国家宪法日，欢迎参加宪法知识竞赛！"
    people = [sim.user(f"用户{i}", language_code="en" if i == 0 else "zh") for i in range(55)]
    for person in people:
        await person.send("/start")
    sim.world.blocked.add(people[40].id)  # reached after the restart, not in flight at the stop
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [unknown] = await admin.send("/broadcast school no-such-school")
    assert unknown.text.startswith("没有找到学校「no-such-school」")
    [usage] = await admin.send("/broadcast grade 13")  # it had said 这个按钮已失效
    assert usage.text.startswith("用法：/broadcast") and "/broadcast school 学校" in usage.text
    await admin.send("/broadcast")
    await admin.send(text)
    await admin.press("全部用户")
    assert "共 56 人" in admin.last.text  # the 55 people and the admin
    await admin.press("确认发送")

    # under a heading in each recipient's language
    letters = (f"📢 通知\n\n{text}", f"📢 Notice\n\n{text}")

    def copies() -> list[int]:
        return [sum(m.text in letters for m in p.private.bot_messages) for p in people]

    # the job's own callback: Job.run (what run_job uses) shields the job from cancellation, so
    # cancelling it would leave the "stopped" bot sending on beside the restarted one
    assert sim.app.job_queue is not None
    [job] = sim.app.job_queue.get_jobs_by_name("broadcasts")
    sending = asyncio.create_task(job.callback(BotContext.from_job(job, sim.app)))
    while sum(copies()) < 10:  # the bot stops mid-send ...
        await asyncio.sleep(0.01)
    sending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sending
    restarted = build_application(services, request=SimRequest(sim.world), token=SIM_TOKEN)
    async with restarted:  # ... then it restarts and carries on
        await on_startup(restarted)
        sim.app = restarted
        await run_job(sim, "broadcasts")
        # the deliveries the stopped bot claimed might still be under way (from another worker): not yet done
        [status] = await admin.send("/broadcast status")
        assert "正在发送的群发：1 条" in status.text
        clock.advance(seconds=IN_FLIGHT.total_seconds() + 1)
        await run_job(sim, "broadcasts")
        [status] = await admin.send("/broadcast status")
        assert "正在发送的群发：0 条" in status.text
    assert max(copies()) == 1 and copies()[40] == 0  # nobody has a second copy
    assert [m.text for m in people[0].private.bot_messages if m.text in letters] == [letters[1]]
    # deliveries in flight when the bot stopped (BULK_CONCURRENCY at most) are reported as unknown
    [done] = [m.text for m in admin.private.bot_messages if "群发完成" in (m.text or "")]
    # which broadcast it is, then the counts; the unknown ones only when there are any
    report = re.search(r"群发完成（「12月4日是国家宪法日，欢迎参加宪法知…」）：已送达 (\d+) 人，(\d+) 人已屏蔽机器人，"
                       r"(\d+) 人失败。(?:另有 (\d+) 人状态不明)?", done)  # fmt: skip
    assert report is not None, done
    sent, blocked, failed, unknown = (int(g or 0) for g in report.groups())
    in_flight = services.settings.bulk_concurrency
    assert (
        (blocked, failed) == (1, 0) and copies().count(0) - 1 <= unknown <= in_flight and sent + unknown == 55
    )
    async with services.db.transaction() as session:
        blocked = await session.get(User, people[40].id)
        assert blocked is not None and not blocked.active
        assert await session.scalar(select(func.count()).select_from(BroadcastDelivery)) == 56


async def test_grouprank_posts_the_last_round(sim: Simulator, clock: Clock) -> None:
    teacher, pupil_a = sim.user("王老师"), sim.user("张三")
    group = sim.group("五年级一班", admins=[teacher])
    await teacher.send("/groupquiz 宪法 3", chat=group)
    for _ in range(3):
        poll = [m for m in group.bot_messages if m.poll][-1]
        await pupil_a.answer_poll(poll, poll.poll["correct_option_ids"][0])
        clock.advance(seconds=34)
        await run_job(sim, "group-rounds")
    [table] = await teacher.send("/grouprank", chat=group)
    assert "张*  答对 3/3" in table.text


async def test_a_class_teacher_posts_the_class_board_of_a_campaign(
    sim: Simulator, services: Services
) -> None:
    student = await pupil(sim, "张三")
    await student.send("/name 张三")
    await take_contest(sim, services, student, right=12)
    teacher = sim.user("王老师")
    await teacher.send("/myid")
    group = sim.group("五年级一班", admins=[teacher])
    [refused] = await teacher.send(f"/grouprank {CONSTITUTION_DAY}", chat=group)
    assert "只有管理员" in refused.text  # no grant yet
    await sim.user("管理员", user_id=ADMIN_ID).send(f"/grant {teacher.id} class cg-p1 5-1")
    [board] = await teacher.send(f"/grouprank {CONSTITUTION_DAY}", chat=group)
    assert "五年级1班" in board.text and "1. 张*  80" in board.text and "张三" not in board.text


async def test_a_class_teacher_names_the_campaign_of_a_class_board_as_stats_does(
    sim: Simulator, services: Services
) -> None:
    """/grouprank took only a campaign's id: /grouprank 宪法宣传周 (a word of its title, as /stats takes it) and
    a mistyped name posted the last group round's table in its place, without a word; the staff exam posted an
    empty class heading, and a class where nobody had taken part its heading alone."""
    teacher = sim.user("王老师")
    await teacher.send("/myid")
    await sim.user("管理员", user_id=ADMIN_ID).send(f"/grant {teacher.id} class cg-p1 5-1")
    group = sim.group("五年级一班", admins=[teacher])
    [board] = await teacher.send("/grouprank 宪法宣传周", chat=group)
    assert board.text.splitlines() == [
        "🏆 2026年“宪法宣传周”学生法治知识竞赛",
        "五年级1班",
        "（还没有人参加）",
    ]
    student = await pupil(sim, "张三")
    await student.send("/name 张三")
    await take_contest(sim, services, student, right=12)
    [board] = await teacher.send("/grouprank 宪法宣传周", chat=group)
    assert board.text.splitlines()[1:] == ["五年级1班", "1. 张*  80"]
    [unknown] = await teacher.send("/grouprank 宪发周", chat=group)
    assert unknown.text.startswith("没有找到这个活动") and CONSTITUTION_DAY in unknown.text
    [staff] = await teacher.send("/grouprank 学法考试", chat=group)
    assert staff.text == "这个活动不面向学生，您管理的班级无需参加。"


async def test_a_teacher_of_several_classes_posts_one_class_board_in_a_group(
    sim: Simulator, services: Services
) -> None:
    """A class teacher of 5-1 and 5-2 sending /grouprank 宪法宣传周 in 5-1's group had posted both classes'
    boards there: 5-2's pupils' names and scores in a group of another class. The teacher is asked which
    class, and names it."""
    student = await pupil(sim, "张三")  # 五年级1班
    await student.send("/name 张三")
    await take_contest(sim, services, student, right=12)
    teacher = sim.user("王老师")
    await teacher.send("/myid")
    admin = sim.user("管理员", user_id=ADMIN_ID)
    await admin.send(f"/grant {teacher.id} class cg-p1 5-1")
    await admin.send(f"/grant {teacher.id} class cg-p1 5-2")
    group = sim.group("五年级二班", admins=[teacher])
    [which] = await teacher.send("/grouprank 宪法宣传周", chat=group)
    assert "五年级1班、五年级2班" in which.text and "/grouprank 宪法宣传周 5-1" in which.text
    assert "张*" not in which.text and "80" not in which.text
    [board] = await teacher.send("/grouprank 宪法宣传周 5-2", chat=group)
    assert board.text.splitlines()[1:] == ["五年级2班", "（还没有人参加）"]
    [board] = await teacher.send("/grouprank 5-1", chat=group)  # the current campaign
    assert board.text.splitlines()[1:] == ["五年级1班", "1. 张*  80"]
    [refused] = await teacher.send("/grouprank 宪法宣传周 6-3", chat=group)
    assert refused.text == "这个班级不在您的授权范围内。"
    head = await school_admin(sim)  # no class of their own: the boards are class teachers'
    [refused] = await head.send("/grouprank 宪法宣传周", chat=group)
    assert refused.text.startswith("班级排行是班主任所管班级的排行")


async def test_a_broadcast_to_one_school_reaches_only_that_school(sim: Simulator) -> None:
    student = await pupil(sim, "赵六")  # 城关第一小学
    teacher = await registered(sim, name="钱老师")  # 城关中学
    admin = sim.user("管理员", user_id=ADMIN_ID)
    await admin.send("/broadcast school cg-p1")
    [choice] = await admin.send("本周五下午开展法治教育讲座。")
    assert choice.button_texts == ["城关第一小学的学生和教职工", "取消"]
    await admin.press("城关第一小学的学生和教职工", message=choice)
    assert "共 1 人" in admin.last.text
    await admin.press("确认发送")
    await run_job(sim, "broadcasts")
    assert student.last.text == "📢 通知\n\n本周五下午开展法治教育讲座。"
    assert all("本周五下午" not in (m.text or "") for m in teacher.private.bot_messages)


async def test_stats_and_export_can_count_only_members_a_join_link_confirmed(
    sim: Simulator, services: Services
) -> None:
    from bot.db.models import VerifiedMember
    from bot.domain import Role
    from tests.services.helpers import add_user, finished_attempt

    contest = "constitution-day-2026"
    async with services.db.transaction() as session:
        for n, score in enumerate((80, 95, 40)):
            await add_user(session, 8_100 + n, Role.student, "cg-p1", 5, 1)
            session.add(finished_attempt(8_100 + n, contest, score, 300))
        # 8100 joined by the class's link; 8101 chose the class itself; 8102 was confirmed for another class
        session.add(VerifiedMember(user_id=8_100, school_id="cg-p1", grade=5, class_no=1))
        session.add(VerifiedMember(user_id=8_102, school_id="cg-p1", grade=5, class_no=2))
    admin = sim.user("管理员", user_id=ADMIN_ID)
    [everyone] = await admin.send(f"/stats {contest}")
    [verified] = await admin.send(f"/stats verified {contest}")
    assert "参与 3 人" in everyone.text and "仅统计经加入链接确认的成员" not in everyone.text
    assert "参与 1 人" in verified.text and "仅统计经加入链接确认的成员" in verified.text
    await admin.send(f"/export {contest} verified")
    book = load_workbook(io.BytesIO(sim.world.files[admin.private.bot_messages[-2].document["file_id"]]))
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert "仅经加入链接确认的成员" in str(notes["范围"])
    assert [row[1:3] for row in book["证书登记"].iter_rows(min_row=2, values_only=True)] == [
        ("城关第一小学", 5)
    ]


async def test_a_class_teachers_figures_say_whose_they_are(sim: Simulator, services: Services) -> None:
    """/stats had not said it was one class's, and the export's 范围 had named it by ids (cg-p1 5-1)."""
    teacher = await registered(sim, name="孙老师")
    await sim.user("管理员", user_id=ADMIN_ID).send(f"/grant {teacher.id} class cg-p1 5-1")
    [report] = await teacher.send(f"/stats {CONSTITUTION_DAY}")
    assert report.text.splitlines()[1] == "范围：城关第一小学 五年级1班"
    [district] = await sim.user("管理员", user_id=ADMIN_ID).send(f"/stats {CONSTITUTION_DAY}")
    assert "范围：" not in district.text  # the district's: as before
    await teacher.send(f"/export {CONSTITUTION_DAY}")
    book = load_workbook(io.BytesIO(sim.world.files[teacher.private.bot_messages[-2].document["file_id"]]))  # type: ignore[index]
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert notes["范围"] == "城关第一小学 五年级1班"


async def test_an_attempt_begun_near_the_end_closes_with_the_campaign(
    sim: Simulator, services: Services, clock: Clock
) -> None:
    """A pupils' pass: begun at 21:54, a 15-minute attempt ran to 22:09 and counted, past the contest's
    22:00 end. The deadline each question shows is the end."""
    clock.advance(days=6, hours=12, minutes=54)  # 12-07 21:54 in Asia/Shanghai
    pupil = await registered(sim, role="学生", name="小明")
    await pupil.send("/campaign")
    await pupil.press("宪法宣传周")
    first = (await pupil.press("开始答题"))[-1]
    assert "交卷截止时间 22:00" in first.text

"""An exam's attempts hold: taps on 开始答题 at the same time start one exam (the limit is kept by the
database, not by a read before a write), and no other button abandons an open exam without asking."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.content.bundle import Content
from bot.db.models import Attempt, SpentAttempts
from bot.runtime import Services
from bot.sim import Simulator, SimUser
from tests.handlers.helpers import answer, registered

CONTEST = "宪法宣传周"


async def opened(user: SimUser) -> None:
    await user.send("/campaign")
    await user.press(CONTEST)


async def test_taps_at_the_same_time_start_one_exam(sim: Simulator, services: Services) -> None:
    pupils = [await registered(sim, role="学生", name=f"学生{i}") for i in range(6)]
    for pupil in pupils:
        await opened(pupil)
    menus = [p.last for p in pupils]
    await asyncio.gather(
        *(p.press("开始答题", message=m) for p in pupils for m in [menus[pupils.index(p)]] * 4)
    )
    async with services.db.transaction() as session:
        for pupil in pupils:
            attempts = await session.scalar(
                select(func.count()).select_from(Attempt).where(Attempt.user_id == pupil.id)
            )
            open_ = await session.scalar(
                select(func.count())
                .select_from(Attempt)
                .where(Attempt.user_id == pupil.id, Attempt.status == "open")
            )
            assert (attempts, open_) == (1, 1), pupil.id  # four taps, one attempt spent
    for pupil in pupils:
        firsts = [m for m in pupil.private.bot_messages if (m.text or "").startswith("📝 第 1/15 题")]
        assert len({m.text for m in firsts}) == 1  # every tap showed the same exam's first question


async def test_other_buttons_ask_before_an_open_exam_is_given_up(sim: Simulator, services: Services) -> None:
    pupil = await registered(sim, role="学生", name="小明")
    await pupil.send("/quiz")
    await pupil.press("《宪法》")
    practice = pupil.last  # the practice menu, left on screen
    await opened(pupil)
    [_, first] = await pupil.press("开始答题")
    assert first.text.startswith("📝 第 1/15 题")
    [asked] = await pupil.press("10 题", message=practice)  # an old button for a practice quiz
    assert "考试正在进行" in asked.text and asked.button_texts == ["▶️ 继续", "🏳️ 放弃这场考试"]
    async with services.db.transaction() as session:
        statuses = (await session.scalars(select(Attempt.status).where(Attempt.user_id == pupil.id))).all()
    assert statuses == ["open"]  # nothing was abandoned
    [again] = await pupil.press("▶️ 继续", message=asked)
    assert again.text == first.text  # back where the exam was


async def test_quiz_during_an_exam_says_giving_it_up_spends_an_attempt(
    sim: Simulator, services: Services
) -> None:
    """/quiz during the contest offered 您有一次未完成的答题 … 🔄 重新开始, which abandoned the exam and one of
    its attempts without a word of it; it names the exam now, and the button says what it does."""
    pupil = await registered(sim, role="学生", name="小明")
    await opened(pupil)
    [_, first] = await pupil.press("开始答题")
    [asked] = await pupil.send("/quiz")
    assert "考试正在进行" in asked.text and "宪法宣传周" in asked.text and "会用掉一次机会" in asked.text
    assert asked.button_texts == ["▶️ 继续", "🏳️ 放弃这场考试"]
    [again] = await pupil.press("▶️ 继续", message=asked)
    assert again.text == first.text


async def test_giving_up_an_exam_says_so_and_the_menu_follows(sim: Simulator, services: Services) -> None:
    """The quiz menu had come without a word that the exam and one of its attempts were given up."""
    pupil = await registered(sim, role="学生", name="小明")
    await opened(pupil)
    await pupil.press("开始答题")
    [asked] = await pupil.send("/quiz")
    # one tap had spent the attempt (and /start offers the same buttons): asked to confirm first
    assert await pupil.press("🏳️ 放弃这场考试", message=asked) == []
    assert asked.text.startswith("确定放弃「") and "第 1/15 题" in asked.text and "机会就用掉了" in asked.text
    assert asked.button_texts == ["🏳️ 确定放弃", "▶️ 继续"]
    give_up = asked.button("🏳️ 确定放弃")["callback_data"]
    # the question it answered says so, in place of its buttons, and where to go on; no practice menu
    # below it (a pupils' pass: the law picker had come unasked)
    assert await pupil.press("🏳️ 确定放弃", message=asked) == []
    assert (
        asked.text.startswith("🏳️ 已放弃「")
        and "宪法宣传周" in asked.text
        and "这一次机会已用掉" in asked.text
        and "/campaign" in asked.text
    )
    assert asked.button_texts == []
    async with services.db.transaction() as session:
        statuses = (await session.scalars(select(Attempt.status).where(Attempt.user_id == pupil.id))).all()
    assert statuses == ["abandoned"]
    # a second tap (as Telegram delivers one made before the edit): nothing left to give up, nothing said
    assert await pupil.press(0, message=asked, data=give_up) == []
    await opened(pupil)  # its card: no 📋 答题回顾 of an attempt given up (it had said 还没有您的成绩)
    assert "还可参加 2 次" in pupil.last.text and "📋 答题回顾" not in pupil.last.button_texts
    async with services.db.transaction() as session:
        statuses = (await session.scalars(select(Attempt.status).where(Attempt.user_id == pupil.id))).all()
    assert statuses == ["abandoned"]


async def test_a_practice_mock_exam_in_the_way_is_no_campaigns_attempt(
    sim: Simulator, content: Content
) -> None:
    """A practice mock exam under way had been called an exam whose giving up 会用掉一次机会, and giving it up
    said nothing (a pupils' pass)."""
    pupil = await registered(sim, role="学生", name="小明")
    await pupil.send("/quiz")
    await pupil.press("《宪法》")
    started = await pupil.press("模拟考试")
    assert started[-1].text.startswith("📝 第 1/20 题"), [m.text for m in started]
    await answer(pupil, content, started[-1], correctly=False)  # no feedback in an exam
    [book] = await pupil.send("/mistakes")
    assert book.text.startswith(
        "错题本是空的"
    )  # not while the mock is under way: its answers are not shown yet
    await opened(pupil)
    asked = (await pupil.press("开始答题"))[-1]
    assert "未完成的练习（第 2/20 题）" in asked.text and "机会" not in asked.text
    started = await pupil.press("✅ 结束练习，开始答题", message=asked)
    assert started[-1].text.startswith("📝 第 1/15 题")  # the contest, the mock ended at no cost
    [book] = await pupil.send("/mistakes")
    # nor once ended, its answers never shown (the contest's join the book once its answers are published)
    assert book.text.startswith("错题本里暂时没有题目")


async def test_an_old_button_does_not_drop_a_practice_quiz_under_way(
    sim: Simulator, services: Services
) -> None:
    """An earlier 练习 10 题 button started a new quiz and abandoned the one under way, without the 继续 /
    重新开始 question that /quiz asks."""
    pupil = await registered(sim, role="学生", name="小明")
    await pupil.send("/quiz")
    await pupil.press("《宪法》")
    old = pupil.last  # a menu left on screen
    await pupil.send("/quiz")
    await pupil.press("《宪法》")
    [first] = await pupil.press("练习 10 题")
    [asked] = await pupil.press("练习 20 题", message=old)
    assert "未完成的答题（第 1/10 题）" in asked.text and asked.button_texts == ["▶️ 继续", "🔄 重新开始"]
    async with services.db.transaction() as session:
        statuses = (await session.scalars(select(Attempt.status).where(Attempt.user_id == pupil.id))).all()
    assert statuses == ["open"]
    [again] = await pupil.press("▶️ 继续", message=asked)
    assert again.text == first.text


async def test_the_exam_or_redoing_mistakes_do_not_drop_a_practice_quiz_under_way(
    sim: Simulator, services: Services
) -> None:
    """A teacher's pass: a practice quiz at 5/10 was dropped without a word when the exam was started, and
    one at 1/10 when 重做错题 was pressed, though /quiz asks 继续 / 重新开始."""
    pupil = await registered(sim, role="学生", name="小明")
    await pupil.send("/quiz")
    await pupil.press("《宪法》")
    [first] = await pupil.press("练习 10 题")
    await opened(pupil)
    [asked] = await pupil.press("开始答题")
    assert "未完成的练习（第 1/10 题）" in asked.text and asked.button_texts == [
        "▶️ 继续练习",
        "✅ 结束练习，开始答题",
    ]
    [asked] = await pupil.press(0, data="quiz:review")  # 重做错题, from an older /mistakes
    assert "未完成的答题（第 1/10 题）" in asked.text
    async with services.db.transaction() as session:
        statuses = (await session.scalars(select(Attempt.status).where(Attempt.user_id == pupil.id))).all()
    assert statuses == ["open"]
    [again] = await pupil.press("▶️ 继续", message=asked)
    assert again.text == first.text


async def test_two_taps_of_the_erasure_at_once_both_say_it_is_done(
    sim: Simulator, services: Services
) -> None:
    """/deleteme's 确认删除 tapped twice at once, with a campaign attempt kept: on PostgreSQL both taps had
    written the kept attempts and the second failed with 出了点问题，您的数据没有丢失 (a robustness pass). Now
    the second waits for the first: the data is gone and the attempt is kept once."""
    pupil = await registered(sim, role="学生")
    await opened(pupil)
    await pupil.press("开始答题")
    [ask] = await pupil.send("/deleteme")
    data = ask.button("确认删除")["callback_data"]
    taps = [SimUser(sim, pupil.data) for _ in range(2)]
    await asyncio.gather(*(tap.press(0, message=ask, data=data) for tap in taps))
    assert ask.text.startswith("您的数据已全部删除"), ask.text
    async with services.db.transaction() as session:
        assert (
            await session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == pupil.id))
            == 0
        )
        kept = await session.scalar(select(SpentAttempts.used).where(SpentAttempts.user_id == pupil.id))
    assert kept == 1


async def test_taps_at_the_same_time_start_one_practice(sim: Simulator, services: Services) -> None:
    """A robustness pass: 练习 10 题 tapped four times at once started four quizzes, sent four first
    questions, and only the last could be answered. One starts; the other taps are told it has."""
    teacher = await registered(sim)
    [menu] = await teacher.send("/quiz")
    await teacher.press("《宪法》", message=menu)  # the law's modes, in place of the laws
    taps = [SimUser(sim, teacher.data) for _ in range(4)]
    await asyncio.gather(*(tap.press("练习 10 题", message=menu) for tap in taps))
    async with services.db.transaction() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Attempt).where(Attempt.user_id == teacher.id)
            )
            == 1
        )
    firsts = [m for m in teacher.private.bot_messages if (m.text or "").startswith("📝 第 1/10 题")]
    assert len(firsts) == 1

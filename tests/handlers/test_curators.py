"""The curators' loop as parents and curators meet it: long questions, asking for a person, English,
replies with pictures and files, and replies that cannot be delivered."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import FaqQuery
from bot.runtime import Services
from bot.sim import Simulator
from tests.handlers.helpers import CURATORS, with_curators
from tests.services.test_faq_matcher import LONG_STORY


async def kept(services: Services) -> list[str]:
    async with services.db.transaction() as session:
        return list((await session.scalars(select(FaqQuery.text).order_by(FaqQuery.id))).all())


async def test_a_long_question_reaches_the_curators_and_unanswered_whole(
    sim: Simulator, services: Services
) -> None:
    """A question after 🙋 转人工 is posted whole: its end, where parents ask, was cut at 200 characters."""
    with_curators(sim, services)
    parent = sim.user("家长")
    question = LONG_STORY + "另外，孩子的疫苗接种证明弄丢了，补办要去哪里？麻烦老师了，谢谢！" * 3
    assert 300 < len(question) <= 1000
    [answer] = await parent.send("孩子几岁上小学")
    [next_step] = await parent.press("👎 没帮助", message=answer)
    await parent.press("🙋 转人工", message=next_step)
    [sent] = await parent.send(question)
    assert "已转给工作人员" in sent.text
    [posted] = sim.world.bot_messages(CURATORS)
    assert posted.text is not None and posted.text.endswith(question)
    assert await kept(services) == [question]
    # longer than a question may be: refused, as a typed one is, and still awaited
    await parent.press("🙋 转人工", message=next_step)
    [refused] = await parent.send("孩" * 1001)
    assert "1000" in refused.text and len(sim.world.bot_messages(CURATORS)) == 1


async def test_typing_for_a_person_starts_the_same_flow_as_the_button(
    sim: Simulator, services: Services
) -> None:
    """转人工, 人工客服 … typed: with curators, the question is asked for and passed on (转人工 had got the
    转学 entries, 人工客服 an answer); without them, how to reach the bureau."""
    parent = sim.user("家长")
    for text in ("转人工", "人工客服"):
        [alone] = await parent.send(text)  # no curators' group configured
        assert alone.text.startswith("这里暂时没有人工服务") and "咨询电话" in alone.text, text
    with_curators(sim, services)
    for text in ("转人工", "人工", "人工客服", "找人工", "真人"):
        [prompt] = await parent.send(text)
        assert "写下您的问题" in prompt.text, text
    [sent] = await parent.send("孩子八月三十一号生日到底能不能上")
    assert "已转给工作人员" in sent.text
    [posted] = sim.world.bot_messages(CURATORS)
    assert posted.text is not None and "八月三十一号" in posted.text
    [again] = await parent.send("孩子几岁上小学")  # the next text is a question again
    assert again.text.startswith("❓ ")
    [prompt] = await parent.send("talk to a human")
    assert "Write your question" in prompt.text
    assert await kept(services) == [
        "孩子八月三十一号生日到底能不能上"
    ]  # the requests themselves are not kept


async def test_an_english_question_nothing_answers_is_passed_on_as_a_chinese_one_is(
    sim: Simulator, services: Services
) -> None:
    """It was told to ask in Chinese and kept for /unanswered only, never passed to the curators."""
    parent = sim.user("Parent", language_code="en")
    question = "Can my son bring his pet hamster to school?"
    [alone] = await parent.send(question)  # no curators' group: the hotline, in English
    assert alone.text.startswith("Sorry, I cannot answer that yet") and "staff" not in alone.text
    with_curators(sim, services)
    [sent] = await parent.send(question)
    assert "passed to the staff" in sent.text
    [posted] = sim.world.bot_messages(CURATORS)
    assert posted.text is not None and posted.text.endswith(question)
    [weather] = await parent.send("What is the weather like today?")  # nothing for the bureau's staff
    assert "could not find" in weather.text and len(sim.world.bot_messages(CURATORS)) == 1
    [closest] = await parent.send("How do I transfer schools?")  # the closest entries, and a person
    assert "🙋 Ask a person" in closest.button_texts
    [prompt] = await parent.press("🙋 Ask a person", message=closest)
    assert "Write your question" in prompt.text

"""The curators' loop as parents and curators meet it: long questions, asking for a person, English,
replies with pictures and files, and replies that cannot be delivered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import FaqQuery
from bot.runtime import Services
from bot.sim import SimMessage, Simulator, SimUser
from tests.handlers.helpers import CURATORS, curator_replies, run_job, with_curators
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
        assert (
            alone.text.startswith("这里暂时没有人工服务") and "您可以向区教育局招生部门咨询" in alone.text
        ), text
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
    assert posted.text.startswith("❔ 未能回答的问题")  # in the curators' language, not the asker's
    [weather] = await parent.send("What is the weather like today?")  # nothing for the bureau's staff
    assert "could not find" in weather.text and len(sim.world.bot_messages(CURATORS)) == 1
    [closest] = await parent.send("How do I transfer schools?")  # the closest entries, and a person
    assert "🙋 Ask a person" in closest.button_texts
    [prompt] = await parent.press("🙋 Ask a person", message=closest)
    assert "Write your question" in prompt.text


async def curator_sends(sim: Simulator, curator: SimUser, to: SimMessage, **content: Any) -> SimMessage:
    """`curator` replies to the bot's message `to` in the curators' group with a photo or a file
    (`photo=` / `document=`, `caption=`); returns what the bot then posts there."""
    world = sim.world
    reply = world.store(SimMessage(CURATORS, world.next_message_id(CURATORS), curator.id, **content))
    await sim.deliver({"message": world.message_dict(reply) | {"reply_to_message": world.message_dict(to)}})
    return world.bot_messages(CURATORS)[-1]


async def test_a_reply_with_a_photo_or_a_file_reaches_the_asker(sim: Simulator, services: Services) -> None:
    """A photo or a file (with its caption or without) was dropped without a word: it is copied to the
    asker below the heading a text reply gets, and the curator is told it was sent."""
    with_curators(sim, services)
    curator, parent = sim.user("招生办王老师"), sim.user("家长")
    await parent.send("学校门口的路灯坏了找谁修")
    [posted] = sim.world.bot_messages(CURATORS)
    photo = {"file_id": "leaflet", "file_unique_id": "l1", "width": 1, "height": 1}
    told = await curator_sends(sim, curator, posted, photo=photo, caption="请看这张通知。")
    heading, copy = parent.private.bot_messages[-2:]
    assert heading.text == "📮 关于您咨询的招生问题，工作人员回复："
    assert copy.photo == photo and copy.caption == "请看这张通知。"
    assert told.text is not None and told.text.startswith("✅ 已转发给提问人。")
    assert told.button_texts and told.button_texts[0].startswith("加入：")
    document = {"file_id": "form", "file_unique_id": "f1", "file_name": "报名表.pdf"}
    await curator_sends(sim, curator, posted, document=document)  # no caption
    heading, copy = parent.private.bot_messages[-2:]
    assert heading.text == "📮 关于您咨询的招生问题，工作人员回复：" and copy.document == document
    async with services.db.transaction() as session:
        assert (await session.scalars(select(FaqQuery.replied_at))).one() is not None


async def test_the_curator_is_told_when_a_reply_does_not_arrive(sim: Simulator, services: Services) -> None:
    """ "已转发给提问人" was said when the asker had blocked the bot, and a reply to a question whose asker
    erased their data did nothing without a word."""
    with_curators(sim, services)
    curator, parent, other = sim.user("招生办王老师"), sim.user("家长"), sim.user("另一位家长")
    await parent.send("学校门口的路灯坏了找谁修")
    sim.world.blocked.add(parent.id)
    told = await curator_replies(sim, curator, "请拨打12345。")
    assert told.text is not None and told.text.startswith("⚠️ 没有送达：提问人已屏蔽本机器人")
    assert told.button_texts  # the wording may still be added
    async with services.db.transaction() as session:
        assert (await session.scalars(select(FaqQuery.replied_at))).one() is None  # still unanswered
    sim.world.blocked.discard(parent.id)
    await other.send("学校旁边的垃圾没人收")
    [posted] = [m for m in sim.world.bot_messages(CURATORS) if "垃圾" in (m.text or "")]
    await other.send("/deleteme")
    await other.press("确认删除")
    told = await curator_sends(sim, curator, posted, text="已转相关科室。")
    assert told.text is not None and "没有发给任何人" in told.text and "/deleteme" in told.text
    assert all("相关科室" not in (m.text or "") for m in other.private.bot_messages)


async def test_a_curators_wording_counts_within_the_interval_it_names(
    sim: Simulator, services: Services
) -> None:
    """The curators were told a wording works after /reload; it counts once the `faq-wordings` job runs
    (FAQ_WORDINGS_EVERY_SECONDS), as the README says, and they are told so."""
    with_curators(sim, services)
    curator, parent = sim.user("招生办王老师"), sim.user("家长")
    question = "学校门口的路灯坏了找谁修"
    await parent.send(question)
    offer = await curator_replies(sim, curator, "这不归教育局管，请拨打12345。")
    assert offer.text is not None and "约 60 秒内生效，/reload 后立即生效" in offer.text
    entry_id = offer.buttons[0][0]["callback_data"].split(":")[-1]
    await curator.press(0, message=offer)
    assert curator.last_alert is not None and "约 60 秒内生效" in curator.last_alert["text"]
    await run_job(sim, "faq-wordings")  # no /reload
    [answer] = await sim.user("别人").send(question)
    assert answer.text.startswith("❓ " + services.content.faq.entries[entry_id].question)

"""The curators' loop through `python -m bot run`: a question nothing answers reaches the curators'
group, a curator's reply with a photo reaches the parent as a copy, the wording the curator adds is
matched by the scheduled wordings job (no /reload) for the next parent who asks it, and a double tap
on 👎 is answered once."""

from __future__ import annotations

import asyncio

from bot.content.bundle import Content
from bot.sim import SimMessage
from tests.blackbox.harness import Bot, RemoteSimulator

QUESTION = "学校门口的路灯坏了找谁修"


async def test_a_curators_photo_reply_reaches_the_parent_and_its_wording_answers_the_next(
    bot: Bot, people: RemoteSimulator, content: Content
) -> None:
    curators = people.group("招生答疑")
    await bot.start(CURATOR_CHAT_ID=str(curators.id), FAQ_WORDINGS_EVERY_SECONDS="0.5")
    parent, curator = people.user("家长"), people.user("招生办王老师")
    [forwarded] = await parent.send(QUESTION)
    assert "已转给工作人员" in forwarded.text
    [posted] = curators.bot_messages
    assert posted.text is not None and QUESTION in posted.text
    # the curator replies to the posted question with a photo and a caption
    world = people.world
    photo = {"file_id": "leaflet", "file_unique_id": "l1", "width": 1, "height": 1}
    reply = world.store(
        SimMessage(
            curators.id, world.next_message_id(curators.id), curator.id, photo=photo, caption="请看通知。"
        )
    )
    await people.deliver(
        {"message": world.message_dict(reply) | {"reply_to_message": world.message_dict(posted)}}
    )
    heading, copy = parent.private.bot_messages[-2:]
    assert heading.text == "📮 关于您咨询的招生问题，工作人员回复："
    assert copy.photo == photo and copy.caption == "请看通知。"
    told = curators.last
    assert told.text is not None and told.text.startswith("✅ 已转发给提问人。")
    [add, *_] = told.button_texts
    assert add.startswith("加入：")
    await curator.press(0, message=told)
    entry_id = told.buttons[0][0]["callback_data"].split(":")[-1]
    # within the wordings interval the running bot matches the new wording; no one reloads
    question = content.faq.entries[entry_id].question
    other = people.user("另一位家长")

    async def answered() -> bool:
        [reply] = await other.send(QUESTION)
        return (reply.text or "").startswith(f"❓ {question}")

    deadline = asyncio.get_running_loop().time() + 15
    while not await answered():
        assert asyncio.get_running_loop().time() < deadline, "the learned wording was not matched within 15 s"
        await asyncio.sleep(0.5)


async def test_a_double_tap_on_not_helpful_is_answered_once(bot: Bot, people: RemoteSimulator) -> None:
    """Two presses in one moment reach the running bot as two updates: one 抱歉没能帮上忙, not two."""
    await bot.start()
    parent = people.user("家长")
    [answer] = await parent.send("孩子几岁上小学")
    before = len(parent.private.bot_messages)
    await asyncio.gather(parent.press("👎 没帮助", message=answer), parent.press("👎 没帮助", message=answer))
    steps = parent.private.bot_messages[before:]
    assert [(m.text or "").startswith("抱歉没能帮上忙") for m in steps] == [True]

"""A class group's quiz round, through `python -m bot run`: started by a group admin (as Telegram's
getChatMember says), it moves from poll to poll by itself and ends with the table."""

from __future__ import annotations

import asyncio

from tests.blackbox.harness import Bot, RemoteSimulator, eventually


async def test_a_group_round_of_three_advances_by_itself_and_ends_with_the_table(
    bot: Bot, people: RemoteSimulator
) -> None:
    await bot.start(GROUP_POLL_SECONDS="5", GROUP_GAP_SECONDS="0.5")
    teacher, pupil, other = people.user("王老师"), people.user("张三"), people.user("李四")
    group = people.group("五年级一班", admins=[teacher])
    [refused] = await pupil.send("/groupquiz 宪法 3", chat=group)
    assert "管理员" in refused.text and not any(m.poll for m in group.bot_messages)
    [starting, *_] = await teacher.send("/groupquiz 宪法 3", chat=group)
    assert "群答题开始" in starting.text
    for n in range(3):
        poll = await eventually(lambda n=n: len(polls := [m for m in group.bot_messages if m.poll]) > n and polls[n],
                                15, f"poll {n + 1}")  # fmt: skip
        assert poll.poll["question"].startswith(f"第 {n + 1}/3 题") and poll.poll["open_period"] == 5
        right = poll.poll["correct_option_ids"][0]
        # a pupil reads the question first: the simulator shows the poll as soon as the bot's sendPoll
        # arrives, before the bot has its id back and recorded, and an answer in that moment (no person
        # is that fast) found no poll to score under CI's load
        await asyncio.sleep(1)
        await pupil.answer_poll(poll, right)
        await other.answer_poll(poll, right if n == 0 else (right + 1) % len(poll.poll["options"]))
    table = await eventually(
        lambda: "本轮答题结果" in (group.last.text or "") and group.last, 15, "the table"
    )
    assert "（共 3 题）" in table.text
    assert table.text.index("张*  答对 3/3") < table.text.index("李*  答对 1/3")
    assert len([m for m in group.bot_messages if m.poll]) == 3

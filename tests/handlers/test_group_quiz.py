"""Group rounds of native quiz polls in a class group."""

from __future__ import annotations

from bot.runtime import Services
from bot.sim import SimMessage, Simulator
from bot.sim.simulator import SimChat, SimUser
from tests.conftest import Clock
from tests.handlers.helpers import run_job


def polls(messages: list[SimMessage]) -> list[SimMessage]:
    return [m for m in messages if m.poll is not None]


async def test_an_admin_runs_a_round_and_the_group_gets_a_table(sim: Simulator, clock: Clock) -> None:
    teacher, alice, bob = sim.user("王老师"), sim.user("张三"), sim.user("李四")
    group = sim.group("五年级一班", admins=[teacher])
    replies = await teacher.send("/groupquiz 宪法 3", chat=group)
    assert "群答题开始" in replies[0].text
    for n in range(3):
        [poll] = polls(group.bot_messages)[n:]
        assert (
            poll.poll["type"] == "quiz" and not poll.poll["is_anonymous"] and poll.poll["open_period"] == 30
        )
        assert poll.poll["question"].startswith(f"第 {n + 1}/3 题：")
        right = poll.poll["correct_option_ids"][0]
        await alice.answer_poll(poll, right)
        await bob.answer_poll(poll, right if n == 0 else (right + 1) % len(poll.poll["options"]))
        await alice.answer_poll(poll, (right + 1) % 2)  # a second answer to the same poll does not count
        clock.advance(seconds=34)
        await run_job(sim, "group-rounds")
    table = group.last.text
    assert "本轮答题结果（共 3 题）" in table
    assert table.index("张*  答对 3/3") < table.index("李*  答对 1/3")
    assert "张三" not in table  # only the masked name is shown or stored


async def test_only_admins_start_or_stop_and_one_round_at_a_time(sim: Simulator) -> None:
    teacher, pupil = sim.user("王老师"), sim.user("小明")
    group = sim.group("五年级一班", admins=[teacher])
    [refused] = await pupil.send("/groupquiz", chat=group)
    assert "只有群管理员" in refused.text and not polls(group.bot_messages)
    await teacher.send("/groupquiz", chat=group)
    [busy] = await teacher.send("/groupquiz", chat=group)
    assert "已经有一轮" in busy.text
    [refused] = await pupil.send("/stopquiz", chat=group)
    assert "只有群管理员" in refused.text
    [table] = await teacher.send("/stopquiz", chat=group)
    assert "没有人作答" in table.text
    [unknown] = await teacher.send("/groupquiz 税法", chat=group)
    assert "没有找到这部法律" in unknown.text


async def test_answers_to_unknown_polls_are_ignored(sim: Simulator) -> None:
    user = sim.user()
    fake = SimMessage(chat_id=user.id, message_id=999, from_id=0, poll={"id": "nope", "options": []})
    await user.answer_poll(fake, 0)  # nothing to score, nothing breaks


async def test_deleteme_erases_attempts_answers_and_group_answers(sim: Simulator, services: Services) -> None:
    from sqlalchemy import func, select

    from bot.db.models import Attempt, AttemptQuestion, CampaignMember, FaqQuery, FaqVote, GroupAnswer
    from tests.handlers.helpers import answer, registered

    teacher, classmate = sim.user("王老师"), sim.user("李四")
    group = sim.group("五年级一班", admins=[teacher])
    user = await registered(sim, name="张三")
    await teacher.send("/groupquiz 宪法 3", chat=group)
    [poll] = polls(group.bot_messages)
    right = poll.poll["correct_option_ids"][0]
    await user.answer_poll(poll, right)
    await classmate.answer_poll(poll, (right + 1) % len(poll.poll["options"]))
    [table] = await teacher.send("/stopquiz", chat=group)
    assert table.text.index("张*  答对 1/3") < table.text.index("李*  答对 0/3")
    await user.send("/quiz")
    await user.press("《宪法》")
    [question] = await user.press("练习 10 题")
    await answer(user, services.content, question, correctly=False)
    await user.send("我家楼下的路灯坏了找谁修")  # logged as unanswered
    [answer] = await user.send("孩子几岁上小学")
    await user.press("👍 有帮助", message=answer)  # a vote
    await user.send("/campaign")
    await user.press("学法考试")
    await user.press("开始答题")  # the practice quiz under way is offered first, never dropped silently
    await user.press("✅ 结束练习，开始答题")  # a campaign membership and an attempt

    async def stored(user_id: int) -> dict[str, int]:
        """The user's rows of each kind (attempts' questions by their attempt)."""
        attempts = select(Attempt.id).where(Attempt.user_id == user_id).scalar_subquery()
        wheres = [
            (Attempt, Attempt.user_id == user_id),
            (AttemptQuestion, AttemptQuestion.attempt_id.in_(attempts)),
            (GroupAnswer, GroupAnswer.user_id == user_id),
            (FaqQuery, FaqQuery.user_id == user_id),
            (FaqVote, FaqVote.user_id == user_id),
            (CampaignMember, CampaignMember.user_id == user_id),
        ]
        async with services.db.transaction() as session:
            return {
                model.__name__: int(
                    await session.scalar(select(func.count()).select_from(model).where(where)) or 0
                )
                for model, where in wheres
            }

    # the practice attempt (abandoned when the exam began) with its 10 questions, the exam's 25
    before = await stored(user.id)
    assert before == {"Attempt": 2, "AttemptQuestion": 35, "GroupAnswer": 1, "FaqQuery": 1, "FaqVote": 1,
                      "CampaignMember": 1}  # fmt: skip
    await user.send("/deleteme")
    await user.press("确认删除")
    assert await stored(user.id) == dict.fromkeys(before, 0)
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AttemptQuestion)) == 0
    assert (await stored(classmate.id))["GroupAnswer"] == 1  # the classmate's answer stays
    [table] = await teacher.send("/grouprank", chat=group)  # the round's table no longer shows the user
    assert "李*  答对 0/3" in table.text and "张*" not in table.text


async def test_a_round_of_a_count_out_of_range_is_refused_for_its_count(sim: Simulator) -> None:
    """/groupquiz 宪法 100 said 没有找到这部法律 (the law was found: the count is out of range), and 0 started a
    round of the default five."""
    teacher = sim.user("王老师")
    group = sim.group("五年级一班", admins=[teacher])
    for count in ("100", "0", "2"):
        [refused] = await teacher.send(f"/groupquiz 宪法 {count}", chat=group)
        assert refused.text.startswith("每轮题数为 3 到 20 题"), count
    assert polls(group.bot_messages) == []


def _service_message(sim: Simulator, chat: SimChat, user: SimUser, **fields: object) -> dict[str, object]:
    """A message Telegram itself posts in a chat (a migration, a member added), `fields` its content."""
    world = sim.world
    message = world.store(SimMessage(chat.id, world.next_message_id(chat.id), user.id))
    return {"message": {**world.message_dict(message), **fields}}


async def test_a_round_goes_on_when_the_group_becomes_a_supergroup(sim: Simulator, clock: Clock) -> None:
    """A class group upgraded to a supergroup mid-round (Telegram gives it a new chat id): the round's next
    polls had gone to the old id, which Telegram refuses, so the round stopped in silence, and /stopquiz and
    /grouprank in the new chat said there was none."""
    teacher, pupil = sim.user("王老师"), sim.user("张三")
    old = sim.group("五年级一班", admins=[teacher])
    old.info.type = "group"
    await teacher.send("/groupquiz 宪法 3", chat=old)
    [poll] = polls(old.bot_messages)
    await pupil.answer_poll(poll, poll.poll["correct_option_ids"][0])
    new = sim.group("五年级一班", admins=[teacher])
    await sim.deliver(_service_message(sim, old, teacher, migrate_to_chat_id=new.id))
    await sim.deliver(_service_message(sim, new, teacher, migrate_from_chat_id=old.id))
    del sim.world.chats[old.id]  # the old group is gone: Telegram refuses to send there
    for n in range(2):
        clock.advance(seconds=34)
        await run_job(sim, "group-rounds")
        [poll] = polls(new.bot_messages)[n:]
        assert poll.poll["question"].startswith(f"第 {n + 2}/3 题：")
        await pupil.answer_poll(poll, poll.poll["correct_option_ids"][0])
    clock.advance(seconds=34)
    await run_job(sim, "group-rounds")
    assert "张*  答对 3/3" in new.last.text
    [table] = await teacher.send("/grouprank", chat=new)
    assert "张*  答对 3/3" in table.text


async def test_an_admin_posting_anonymously_starts_and_stops_a_round(sim: Simulator) -> None:
    """A class teacher who is an anonymous admin of the group (their messages come from the group itself)
    had been told 只有群管理员可以开始或结束群答题, though they are one."""
    teacher = sim.user("王老师")
    group = sim.group("五年级一班", admins=[teacher])
    anonymous = sim.user("Group", user_id=1087968824)  # Telegram's GroupAnonymousBot

    async def as_the_group(text: str) -> list[SimMessage]:
        payload = anonymous.message_payload(text, chat=group)
        payload["message"]["from"]["is_bot"] = True
        payload["message"]["sender_chat"] = group.info.to_dict()
        mark = group.bot_messages[-1].message_id if group.bot_messages else 0
        await sim.deliver(payload)
        return [m for m in group.bot_messages if m.message_id > mark]

    started = await as_the_group("/groupquiz 宪法 3")
    assert "群答题开始" in started[0].text and polls(started)
    [stopped] = await as_the_group("/stopquiz")
    assert "没有人作答" in stopped.text
    # a member posting as another chat (a channel) is no admin of the group
    pupil = sim.user("小明")
    payload = pupil.message_payload("/groupquiz", chat=group)
    payload["message"]["sender_chat"] = {"id": -1009999, "type": "channel", "title": "小明的频道"}
    await sim.deliver(payload)
    assert "只有群管理员" in group.last.text


async def test_no_medal_for_a_pupil_with_no_right_answer(sim: Simulator) -> None:
    """The table gave 🥉 to the third pupil even with 答对 0/3: a child who got every question wrong got a medal."""
    teacher, alice, bob, carol = sim.user("王老师"), sim.user("张三"), sim.user("李四"), sim.user("赵五")
    group = sim.group("五年级一班", admins=[teacher])
    await teacher.send("/groupquiz 宪法 3", chat=group)
    [poll] = polls(group.bot_messages)
    right = poll.poll["correct_option_ids"][0]
    wrong = (right + 1) % len(poll.poll["options"])
    await alice.answer_poll(poll, right)
    await bob.answer_poll(poll, wrong)
    await carol.answer_poll(poll, wrong)
    [table] = await teacher.send("/stopquiz", chat=group)
    lines = table.text.splitlines()
    assert lines[1] == "🥇 张*  答对 1/3"
    assert lines[2:] == ["2. 李*  答对 0/3", "3. 赵*  答对 0/3"]


async def test_grouprank_before_any_round_says_there_are_no_results_yet(sim: Simulator) -> None:
    """/grouprank in a group that had no round yet answered 本群没有正在进行的答题 (no round running), which is
    not what was asked: the results. It says there are none yet, and how a round starts."""
    teacher, pupil = sim.user("王老师"), sim.user("张三")
    group = sim.group("五年级一班", admins=[teacher])
    [reply] = await pupil.send("/grouprank", chat=group)
    assert reply.text.startswith("本群还没有做完的群答题") and "/groupquiz" in reply.text
    await teacher.send("/groupquiz 宪法 3", chat=group)  # under way, not finished: still no results
    [reply] = await pupil.send("/grouprank", chat=group)
    assert reply.text.startswith("本群还没有做完的群答题")


async def test_answers_after_stopquiz_do_not_change_the_posted_table(sim: Simulator) -> None:
    """/stopquiz posts the table while the last poll is still open in the group: answers to it after the
    table had still been scored, so /grouprank later showed a table other than the one posted."""
    teacher, alice, bob = sim.user("王老师"), sim.user("张三"), sim.user("李四")
    group = sim.group("五年级一班", admins=[teacher])
    await teacher.send("/groupquiz 宪法 3", chat=group)
    [poll] = polls(group.bot_messages)
    right = poll.poll["correct_option_ids"][0]
    await alice.answer_poll(poll, right)
    [posted] = await teacher.send("/stopquiz", chat=group)
    await bob.answer_poll(poll, right)  # the poll is still open for its 30 seconds
    [again] = await bob.send("/grouprank", chat=group)
    assert again.text == posted.text and "李*" not in again.text


async def test_a_big_class_s_table_says_how_many_more_answered(sim: Simulator) -> None:
    """A table shows 30 rows: in a class of 35 the last five who answered were left off without a word, and
    read the table as if their answers had been lost."""
    teacher = sim.user("王老师")
    group = sim.group("五年级一班", admins=[teacher])
    await teacher.send("/groupquiz 宪法 3", chat=group)
    [poll] = polls(group.bot_messages)
    for n in range(35):
        await sim.user(f"学生{n}").answer_poll(poll, poll.poll["correct_option_ids"][0])
    [table] = await teacher.send("/stopquiz", chat=group)
    lines = table.text.splitlines()
    assert len(lines) == 32 and lines[30].startswith("30. ")
    assert lines[31] == "……另有 5 位同学作答，名次在后。"


def _bot_member_change(sim: Simulator, chat: SimChat, by: SimUser, old: str, new: str) -> dict[str, object]:
    """Telegram's word that the bot's membership of `chat` changed from `old` to `new` (member, left, kicked)."""
    bot = sim.world.bot_user()
    members = [{"status": status, "user": bot} | ({"until_date": 0} if status == "kicked" else {})
               for status in (old, new)]  # fmt: skip
    return {"my_chat_member": {"chat": chat.info.to_dict(), "from": by.data, "date": 1,
                               "old_chat_member": members[0], "new_chat_member": members[1]}}  # fmt: skip


async def test_a_round_ends_when_the_bot_is_removed_from_the_group(sim: Simulator, clock: Clock) -> None:
    """The bot removed from a group mid-round (a teacher's way of stopping it): the round went on failing to
    post, and when the bot was added back, /groupquiz said 本群已经有一轮答题在进行中 and the old round's
    next poll turned up out of nowhere."""
    teacher = sim.user("王老师")
    group = sim.group("五年级一班", admins=[teacher])
    await teacher.send("/groupquiz 宪法 5", chat=group)
    await sim.deliver(_bot_member_change(sim, group, teacher, "member", "left"))
    await sim.deliver(_bot_member_change(sim, group, teacher, "left", "member"))
    clock.advance(seconds=34)
    await run_job(sim, "group-rounds")
    assert len(polls(group.bot_messages)) == 1  # the old round posts nothing more
    started = await teacher.send("/groupquiz 宪法 3", chat=group)
    assert "群答题开始" in started[0].text and polls(started)[0].poll["question"].startswith("第 1/3 题：")
    await sim.deliver(_bot_member_change(sim, group, teacher, "member", "kicked"))
    [reply] = await teacher.send("/stopquiz", chat=group)
    assert reply.text == "本群没有正在进行的答题。"

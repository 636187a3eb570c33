"""Group rounds of quiz polls: starting, polls that follow one another, answers scored once, the table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.content.questions import QType
from bot.db.models import GroupAnswer, GroupRound
from bot.runtime import Services
from bot.services.errors import Refused
from bot.services.group_quiz import PollToSend, RoundTable, TableRow, mask
from tests.conftest import Clock

CHAT = -1001
TEACHER = 9
STEP = timedelta(seconds=33)  # a poll is open 30 s, then a 3 s pause


class Group:
    """A `RoundPoster` that keeps what the group was shown; poll ids are p0, p1, ..."""

    def __init__(self, fail: set[int] | None = None) -> None:
        self.polls: list[PollToSend] = []
        self.tables: list[RoundTable] = []
        self.fail = fail or set()  # positions whose poll Telegram refuses

    async def poll(self, step: PollToSend) -> str | None:
        self.polls.append(step)
        return None if step.position in self.fail else f"p{step.position}"

    async def table(self, table: RoundTable) -> None:
        self.tables.append(table)


async def start(
    svc: Services, size: int = 3, law: str | None = "constitution", chat: int = CHAT
) -> GroupRound:
    async with svc.db.transaction() as session:
        return await svc.group_quiz.start(session, chat_id=chat, started_by=TEACHER, law=law, size=size)


async def answer(
    svc: Services, poll_id: str, user_id: int, name: str | None, option: list[int] | int
) -> bool:
    options = option if isinstance(option, list) else [option]
    async with svc.db.transaction() as session:
        return await svc.group_quiz.record_answer(session, poll_id=poll_id, user_id=user_id, first_name=name,
                                                  option_ids=options)  # fmt: skip


async def test_a_round_draws_distinct_single_answer_questions_and_runs_one_at_a_time(svc: Services) -> None:
    round_ = await start(svc, size=5)
    ids = round_.question_ids.split(",")
    questions = [svc.content.questions.get(qid) for qid in ids]
    assert len(set(ids)) == 5
    assert all(q is not None and q.law == "constitution" and q.type is not QType.multiple for q in questions)
    assert (round_.status, round_.sent, round_.open_period, round_.started_by) == ("open", 0, 30, TEACHER)
    for size, key in ((2, "group.bad_size"), (21, "group.bad_size"), (5, "group.running")):
        with pytest.raises(Refused) as refused:
            await start(svc, size=size)
        assert refused.value.key == key
    with pytest.raises(Refused) as refused:
        await start(svc, law="tax_law", chat=-1002)
    assert refused.value.key == "group.unknown_law"
    other = await start(svc, size=20, law=None, chat=-1002)  # another group may run its own
    assert len(other.question_ids.split(",")) == 20


async def test_polls_follow_one_another_when_the_previous_one_has_closed(svc: Services, clock: Clock) -> None:
    round_ = await start(svc, size=3)
    group = Group()
    await svc.group_quiz.advance_due(svc.db, group)
    assert [p.position for p in group.polls] == [0]
    clock.advance(seconds=32)  # the first poll is still open (or in its pause)
    await svc.group_quiz.advance_due(svc.db, group)
    assert len(group.polls) == 1
    for _ in range(2):
        clock.advance(seconds=1)
        await svc.group_quiz.advance_due(svc.db, group)
        clock.advance(seconds=32)
    assert [(p.round_id, p.chat_id, p.position, p.total, p.open_period) for p in group.polls] == [
        (round_.id, CHAT, n, 3, 30) for n in range(3)
    ]
    assert [p.question.id for p in group.polls] == round_.question_ids.split(",")
    for poll in group.polls:  # the option marked correct is the question's right answer
        [right] = poll.question.correct
        assert poll.options[poll.correct_option] == poll.question.choices[right]
        assert sorted(poll.options) == sorted(poll.question.choices)
    assert group.tables == []
    clock.advance(seconds=1)
    await svc.group_quiz.advance_due(svc.db, group)  # after the last poll: the table
    assert group.tables == [RoundTable(round_.id, CHAT, 3, [])]
    clock.advance(minutes=5)
    await svc.group_quiz.advance_due(svc.db, group)  # a finished round shows nothing more
    assert len(group.polls) == 3 and len(group.tables) == 1
    async with svc.db.transaction() as session:
        stored = await session.get(GroupRound, round_.id)
        assert (
            stored is not None
            and stored.status == "finished"
            and stored.finished_at == clock.now - timedelta(minutes=5)
        )


async def test_each_member_scores_once_per_poll(svc: Services) -> None:
    await start(svc, size=3)
    group = Group()
    await svc.group_quiz.advance_due(svc.db, group)
    [poll] = group.polls
    right, wrong = poll.correct_option, (poll.correct_option + 1) % len(poll.options)
    assert await answer(svc, "p0", 1, "张三", right) is True
    assert await answer(svc, "p0", 1, "张三", wrong) is False  # a second answer changes nothing
    assert await answer(svc, "p0", 2, "李四", []) is False  # a retracted vote is no answer
    assert await answer(svc, "p0", 2, "李四", wrong) is True
    assert await answer(svc, "p0", 2, "李四", right) is False
    assert await answer(svc, "nope", 3, "王五", right) is False  # not a poll of any round
    async with svc.db.transaction() as session:
        rows = (await session.execute(select(GroupAnswer.poll_id, GroupAnswer.user_id, GroupAnswer.name,
                                             GroupAnswer.correct).order_by(GroupAnswer.user_id))).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [("p0", 1, "张*", True), ("p0", 2, "李*", False)]


async def test_the_table_ranks_by_right_answers_then_by_who_finished_first(
    svc: Services, clock: Clock
) -> None:
    """张 gets all three right; 王 and 李 one each, but 王 answered the last poll 8 s before 李; a member
    with no first name answers one poll, wrongly."""
    round_ = await start(svc, size=3)
    group = Group()
    for n in range(3):
        start_of_poll = clock.now
        await svc.group_quiz.advance_due(svc.db, group)
        poll_id, right = f"p{n}", group.polls[n].correct_option
        wrong = (right + 1) % len(group.polls[n].options)
        clock.advance(seconds=1)
        await answer(svc, poll_id, 1, "张三", right)
        clock.advance(seconds=1)
        await answer(svc, poll_id, 3, "王五", right if n == 1 else wrong)
        clock.advance(seconds=8)
        await answer(svc, poll_id, 2, "李四", right if n == 0 else wrong)
        if n == 2:
            await answer(svc, poll_id, 4, None, wrong)
        clock.now = start_of_poll + STEP
    await svc.group_quiz.advance_due(svc.db, group)
    [table] = group.tables
    assert table == RoundTable(round_.id, CHAT, 3, [
        TableRow("张*", 3, 3), TableRow("王*", 1, 3), TableRow("李*", 1, 3), TableRow("*", 0, 1),
    ])  # fmt: skip
    async with svc.db.transaction() as session:
        assert await svc.group_quiz.last_table(session, chat_id=CHAT) == table


def test_only_a_masked_first_name_is_kept() -> None:
    names = ("张三", "Alice", " 王 ", "", "   ", None)
    assert [mask(n) for n in names] == ["张*", "A*", "王*", "*", "*", "*"]


async def test_stopping_a_round_shows_its_table_and_frees_the_group(svc: Services) -> None:
    async with svc.db.transaction() as session:
        assert await svc.group_quiz.stop(session, chat_id=CHAT) is None  # nothing running
        assert await svc.group_quiz.last_table(session, chat_id=CHAT) is None
    round_ = await start(svc, size=4)
    group = Group()
    await svc.group_quiz.advance_due(svc.db, group)
    await answer(svc, "p0", 1, "张三", group.polls[0].correct_option)
    async with svc.db.transaction() as session:
        table = await svc.group_quiz.stop(session, chat_id=CHAT)
    assert table == RoundTable(round_.id, CHAT, 4, [TableRow("张*", 1, 1)])
    await svc.group_quiz.advance_due(svc.db, group)  # a stopped round sends nothing more
    assert len(group.polls) == 1 and group.tables == []
    second = await start(svc, size=3)  # the group may start again
    async with svc.db.transaction() as session:
        assert await svc.group_quiz.last_table(session, chat_id=CHAT) == table
        assert (await svc.group_quiz.stop(session, chat_id=CHAT)) == RoundTable(second.id, CHAT, 3, [])
        assert (await svc.group_quiz.last_table(session, chat_id=CHAT)) == RoundTable(second.id, CHAT, 3, [])


async def test_a_poll_that_could_not_be_sent_scores_nothing_and_the_round_goes_on(
    svc: Services, clock: Clock
) -> None:
    round_ = await start(svc, size=3)
    group = Group(fail={1})
    for n in range(3):
        await svc.group_quiz.advance_due(svc.db, group)
        assert await answer(svc, f"p{n}", 1, "张三", group.polls[n].correct_option) is (n != 1)
        clock.advance(seconds=33)
    await svc.group_quiz.advance_due(svc.db, group)
    assert [p.position for p in group.polls] == [0, 1, 2]
    assert group.tables == [RoundTable(round_.id, CHAT, 3, [TableRow("张*", 2, 2)])]

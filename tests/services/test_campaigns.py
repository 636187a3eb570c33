"""Campaigns as users meet them: which they see, joining and attempts, standings, the daily reading.

The clock starts on 2026-12-01 09:00 (Asia/Shanghai). The content's campaigns then: the staff law exam
(staff, 2026-11-16 08:00 to 12-31 22:00, 2 attempts) and the Constitution Week contest (students of
grades 3-12, 12-01 07:00 to 12-07 22:00, 3 attempts, daily reading at 07:30) are open; the spring
contest (students of grades 7-12, from 2027-03-01 08:00) is upcoming."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.db.models import Attempt, CampaignMember, User
from bot.domain import AttemptStatus, BoardEntry, Role, Standing
from bot.runtime import Services
from bot.services.campaigns import ReadingSend
from bot.services.errors import Refused
from bot.services.outbound import Outcome
from tests.conftest import Clock
from tests.services.helpers import add_user, finished_attempt

STAFF_EXAM = "staff-law-exam-2026"
CONTEST = "constitution-day-2026"
SPRING = "spring-term-contest-2027"


def listing(svc: Services, user: User) -> list[tuple[str, str]]:
    return [(x.campaign.id, x.state) for x in svc.campaigns.for_user(user)]


async def test_each_user_sees_the_campaigns_of_their_role_and_grade(svc: Services) -> None:
    people = {
        "staff": User(id=1, role=Role.staff, school_id="cg-j1"),
        "grade 5": User(id=2, role=Role.student, school_id="cg-p1", grade=5, class_no=1),
        "grade 8": User(id=3, role=Role.student, school_id="cg-j1", grade=8, class_no=1),
        "grade 2": User(id=4, role=Role.student, school_id="cg-p1", grade=2, class_no=1),
        "parent": User(id=5, role=Role.parent),
        "newcomer": User(id=6),
    }
    seen = {who: listing(svc, user) for who, user in people.items()}
    assert seen == {
        "staff": [(STAFF_EXAM, "open")],
        "grade 5": [(CONTEST, "open")],
        "grade 8": [(CONTEST, "open"), (SPRING, "upcoming")],  # open ones first
        "grade 2": [],
        "parent": [],
        "newcomer": [],
    }
    with pytest.raises(Refused) as refused:
        svc.campaigns.get(people["grade 8"], STAFF_EXAM)
    assert refused.value.key == "campaign.not_for_you"
    # a ranking asked of a campaign that does not exist says so (/rank foo had said 这个活动不面向您)
    with pytest.raises(Refused) as refused:
        svc.campaigns.current(STAFF_EXAM, people["grade 8"])
    assert refused.value.key == "campaign.not_for_you"
    with pytest.raises(Refused) as refused:
        svc.campaigns.current("foo", people["grade 8"])
    assert refused.value.key == "campaign.unknown"
    with pytest.raises(Refused):
        svc.campaigns.get(people["grade 2"], CONTEST)
    with pytest.raises(Refused):
        svc.campaigns.get(people["staff"], "no-such-campaign")
    assert svc.campaigns.get(people["grade 5"], CONTEST).id == CONTEST


async def test_the_window_opens_at_its_start_and_a_closed_campaign_is_listed_for_30_days(
    svc: Services, clock: Clock
) -> None:
    pupil = User(id=1, role=Role.student, school_id="cg-j1", grade=8, class_no=1)
    staff = User(id=2, role=Role.staff, school_id="cg-j1")
    contest = svc.content.campaigns[CONTEST]
    clock.now = datetime(2026, 11, 30, 22, 59, tzinfo=UTC)  # 12-01 06:59 local
    assert svc.campaigns.state(contest) == "upcoming"
    assert listing(svc, pupil) == [(CONTEST, "upcoming"), (SPRING, "upcoming")]  # by start
    clock.now = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 07:00 local
    assert svc.campaigns.state(contest) == "open"
    clock.now = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 12-07 22:00 local: the end
    assert svc.campaigns.state(contest) == "closed"
    # the staff exam ended 2026-12-31 22:00 local
    clock.now = datetime(2027, 1, 30, 14, 0, tzinfo=UTC)  # 30 days later
    assert listing(svc, staff) == [(STAFF_EXAM, "closed")]
    clock.now = datetime(2027, 1, 31, 14, 0, tzinfo=UTC)  # 31 days later
    assert listing(svc, staff) == []


async def test_joining_is_for_open_campaigns_and_happens_once(svc: Services, clock: Clock) -> None:
    async with svc.db.transaction() as session:
        pupil = await add_user(session, 1, Role.student, "cg-j1", 8, 1)
        contest, spring = svc.content.campaigns[CONTEST], svc.content.campaigns[SPRING]
        await svc.campaigns.join(session, pupil, contest)
        clock.advance(hours=1)
        await svc.campaigns.join(session, pupil, contest)  # again: nothing changes
        with pytest.raises(Refused) as refused:
            await svc.campaigns.join(session, pupil, spring)
        assert refused.value.key == "campaign.not_open"
    async with svc.db.transaction() as session:
        members = (await session.execute(select(CampaignMember.campaign_id, CampaignMember.user_id,
                                                CampaignMember.reading))).all()  # fmt: skip
    assert [tuple(m) for m in members] == [(CONTEST, 1, False)]


async def test_the_attempts_are_limited_and_an_abandoned_one_is_not_given_back(svc: Services) -> None:
    exam = svc.content.campaigns[STAFF_EXAM]
    assert exam.attempts == 2
    async with svc.db.transaction() as session:
        teacher = await add_user(session, 1, Role.staff, "cg-j1")
        colleague = await add_user(session, 2, Role.staff, "cg-j1")
        assert await svc.campaigns.attempts_left(session, teacher, exam) == 2
        first, fresh = await svc.quiz.start_campaign(session, teacher, exam)
        assert fresh and first.total == exam.blueprint.total == 25  # type: ignore[union-attr]
        assert await svc.campaigns.attempts_left(session, teacher, exam) == 1
        with pytest.raises(Refused) as refused:  # a second tap at once: the exam shown already
            await svc.quiz.start_campaign(session, teacher, exam)
        assert refused.value.key == "quiz.already_started"
        again, fresh = await svc.quiz.start_campaign(
            session, teacher, exam, resume=True
        )  # 继续答题: the same
        assert not fresh and again.attempt_id == first.attempt_id
        assert await svc.campaigns.attempts_left(session, teacher, exam) == 1
        await svc.quiz.abandon(session, teacher)  # given up, on purpose
        await svc.quiz.start_campaign(session, teacher, exam)
        assert await svc.campaigns.attempts_left(session, teacher, exam) == 0
        await svc.quiz.abandon(session, teacher)
        with pytest.raises(Refused) as refused:
            await svc.quiz.start_campaign(session, teacher, exam)
        assert refused.value.key == "campaign.no_attempts_left"
        assert await svc.campaigns.attempts_left(session, colleague, exam) == 2  # counted per user
        statuses = (
            await session.scalars(select(Attempt.status).where(Attempt.user_id == 1).order_by(Attempt.id))
        ).all()
    assert statuses == [AttemptStatus.abandoned.value, AttemptStatus.abandoned.value]


async def test_the_best_or_the_last_attempt_counts_in_the_standing(svc: Services) -> None:
    """Class 5-1: 张 80 in 300 s then 60 in 200 s, 李 70 in 100 s, 王 80 in 250 s; class 5-2: 赵 90 in 400 s.
    By best: 王 and 张 tie on 80 and the faster 王 ranks first. By last, 张's 60 counts."""
    contest = svc.content.campaigns[CONTEST]
    async with svc.db.transaction() as session:
        zhang = await add_user(session, 1, Role.student, "cg-p1", 5, 1, name="张三")
        await add_user(session, 2, Role.student, "cg-p1", 5, 1, name="李四")
        await add_user(session, 3, Role.student, "cg-p1", 5, 1, name="王五")
        await add_user(session, 4, Role.student, "cg-p1", 5, 2, name="赵六")
        stranger = await add_user(session, 5, Role.student, "cg-p1", 5, 1)
        session.add_all([
            finished_attempt(1, CONTEST, 80, 300, minutes_after=10),
            finished_attempt(1, CONTEST, 60, 200, minutes_after=20),
            finished_attempt(2, CONTEST, 70, 100, minutes_after=5),
            finished_attempt(3, CONTEST, 80, 250, minutes_after=30),
            finished_attempt(4, CONTEST, 90, 400, minutes_after=1),
            finished_attempt(5, CONTEST, 100, 50, status="open"),  # not finished: counts for nothing
        ])  # fmt: skip
    last = contest.model_copy(update={"counts": "last"})
    async with svc.db.transaction() as session:
        # (score, seconds, rank in class, class size, rank in school, school size)
        assert await svc.campaigns.standing(session, zhang, contest) == Standing(80, 300, 2, 3, 3, 4)
        assert await svc.campaigns.standing(session, zhang, last) == Standing(60, 200, 3, 3, 4, 4)
        assert await svc.campaigns.standing(session, stranger, contest) is None
        board = await svc.campaigns.class_board(session, zhang, contest)
        last_board = await svc.campaigns.class_board(session, zhang, last)
    assert board == [
        BoardEntry("王五", False, 80, 250),
        BoardEntry("张三", False, 80, 300),
        BoardEntry("李四", False, 70, 100),
    ]
    assert last_board == [
        BoardEntry("王五", False, 80, 250),
        BoardEntry("李四", False, 70, 100),
        BoardEntry("张三", False, 60, 200),
    ]


async def test_subscribing_to_the_reading_joins_and_unsubscribe_stops_every_reading(svc: Services) -> None:
    contest, exam = svc.content.campaigns[CONTEST], svc.content.campaigns[STAFF_EXAM]
    async with svc.db.transaction() as session:
        pupil = await add_user(session, 1, Role.student, "cg-j1", 8, 1)
        assert await svc.campaigns.member(session, pupil, contest) is None
        await svc.campaigns.set_reading(session, pupil, contest, True)
        member = await svc.campaigns.member(session, pupil, contest)
        assert member is not None and member.reading is True
        await svc.campaigns.set_reading(session, pupil, contest, False)
        await session.refresh(member)
        assert member.reading is False  # still a member, no longer a reader
        await svc.campaigns.set_reading(session, pupil, contest, True)
        with pytest.raises(Refused):
            await svc.campaigns.set_reading(session, pupil, exam, True)  # the exam has no reading
        assert await svc.campaigns.unsubscribe_all(session, pupil) == 1
        assert await svc.campaigns.unsubscribe_all(session, pupil) == 0
        await session.refresh(member)
        assert member.reading is False


class Letterbox:
    def __init__(self, outcomes: dict[int, Outcome] | None = None) -> None:
        self.outcomes = outcomes or {}
        self.sent: list[tuple[date, int, int, str, str | None]] = []

    async def send(self, item: ReadingSend) -> Outcome:
        self.sent.append((item.day.day, item.day.article, item.user_id, item.language, item.question_id))
        return self.outcomes.get(item.user_id, Outcome.sent)

    def who(self) -> list[tuple[date, int, int, str]]:
        return sorted(entry[:4] for entry in self.sent)


async def test_the_daily_reading_goes_to_subscribers_once_a_day_at_its_time(
    svc: Services, clock: Clock
) -> None:
    """Plan: 12-01 article 1, 12-02 article 2, 12-03 article 5, 12-04 article 33, at 07:30 local."""
    contest = svc.content.campaigns[CONTEST]
    async with svc.db.transaction() as session:
        reader = await add_user(session, 1, Role.student, "cg-j1", 8, 1)
        english = await add_user(session, 2, Role.student, "cg-j1", 8, 1, language="en")
        joined_only = await add_user(session, 3, Role.student, "cg-j1", 8, 1)
        quitter = await add_user(session, 4, Role.student, "cg-j1", 8, 1)
        for user in (reader, english, quitter):
            await svc.campaigns.set_reading(session, user, contest, True)
        await svc.campaigns.join(session, joined_only, contest)
        await svc.campaigns.unsubscribe_all(session, quitter)
    box = Letterbox()
    # 09:00 on 12-01: today's article is due (its time, 07:30, has passed)
    assert [(c.id, d.day) for c, d in svc.campaigns.due_days()] == [(CONTEST, date(2026, 12, 1))]
    assert await svc.campaigns.send_readings(svc.db, box.send) == 2
    assert box.who() == [(date(2026, 12, 1), 1, 1, "zh"), (date(2026, 12, 1), 1, 2, "en")]
    assert await svc.campaigns.send_readings(svc.db, box.send) == 0  # once a day
    clock.now = datetime(2026, 12, 1, 23, 29, tzinfo=UTC)  # 12-02 07:29 local
    assert svc.campaigns.due_days() == []
    assert await svc.campaigns.send_readings(svc.db, box.send) == 0
    clock.advance(minutes=1)  # 07:30
    box = Letterbox({2: Outcome.blocked})
    assert await svc.campaigns.send_readings(svc.db, box.send) == 1
    assert box.who() == [(date(2026, 12, 2), 2, 1, "zh"), (date(2026, 12, 2), 2, 2, "en")]
    for _, article, _, _, question_id in box.sent:  # the check question cites the day's article
        assert question_id is not None
        question = svc.content.questions.get(question_id)
        assert question is not None and question.law == "constitution" and article in question.articles
    clock.advance(days=1)  # 12-03 07:30: the user who blocked the bot is left out
    box = Letterbox()
    assert await svc.campaigns.send_readings(svc.db, box.send) == 1
    assert box.who() == [(date(2026, 12, 3), 5, 1, "zh")]
    async with svc.db.transaction() as session:
        blocked = await session.get(User, 2)
        assert blocked is not None and blocked.active is False

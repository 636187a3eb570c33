"""Registration: role → school → grade → class, with every value checked against the district, and
erasure of everything a user left behind (/deleteme)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.db.models import (
    Attempt,
    AttemptQuestion,
    Broadcast,
    BroadcastDelivery,
    CampaignMember,
    FaqQuery,
    FaqVote,
    GroupAnswer,
    GroupPoll,
    GroupRound,
    ReadingDelivery,
    User,
)
from bot.domain import Role
from bot.runtime import Services
from bot.services.errors import Refused
from bot.services.registration import Registration, Step
from tests.services.helpers import T0, add_user, count


@pytest.fixture
def reg(services: Services) -> Registration:
    return services.registration


def answers(user: User) -> tuple[Any, ...]:
    return user.role, user.school_id, user.grade, user.class_no, user.registered, user.awaiting


def test_a_student_is_asked_role_then_school_then_grade_then_class(reg: Registration) -> None:
    user = User(id=1)
    assert reg.next_step(user) is Step.role and not user.registered
    assert reg.choose_role(user, "student") is Step.school
    assert answers(user) == (Role.student, None, None, None, False, "school_search")  # waits for typing
    assert reg.choose_school(user, "cg-p1") is Step.grade
    assert answers(user) == (Role.student, "cg-p1", None, None, False, "reg_grade")  # a grade may be typed
    assert reg.choose_grade(user, 5) is Step.class_
    assert user.awaiting == "reg_class"
    assert reg.choose_class(user, 8) is Step.done  # 城关第一小学 has 8 classes a grade
    assert answers(user) == (Role.student, "cg-p1", 5, 8, True, None)


def test_staff_need_no_grade_and_parents_no_school(reg: Registration) -> None:
    teacher, parent = User(id=1), User(id=2)
    assert reg.choose_role(teacher, "staff") is Step.school
    assert reg.choose_school(teacher, "cg-k1") is Step.done  # a kindergarten is fine for staff
    assert answers(teacher) == (Role.staff, "cg-k1", None, None, True, None)
    with pytest.raises(Refused):
        reg.choose_grade(teacher, 1)
    assert reg.choose_role(parent, "parent") is Step.done
    assert answers(parent) == (Role.parent, None, None, None, True, None)
    with pytest.raises(Refused):
        reg.choose_school(parent, "cg-p1")
    assert parent.school_id is None


def test_changing_the_role_asks_for_school_grade_and_class_again(reg: Registration) -> None:
    user = User(id=1)
    reg.choose_role(user, "student")
    reg.choose_school(user, "cg-p1")
    reg.choose_grade(user, 5)
    reg.choose_class(user, 2)
    assert reg.choose_role(user, "staff") is Step.school
    assert answers(user) == (Role.staff, None, None, None, False, "school_search")
    reg.choose_school(user, "cg-j1")
    assert user.registered


def test_a_department_is_asked_once_after_the_school_and_kept_through_a_link_to_it(reg: Registration) -> None:
    """城关第一小学 lists departments (its 2nd is 数学组); a join link to the same school keeps the answer,
    one to another school forgets it; abandoning the question leaves the answers complete without it."""
    user = User(id=1)
    reg.choose_role(user, "staff")
    assert reg.choose_school(user, "cg-p1") is Step.department and not user.registered
    assert reg.next_step(user) is Step.done  # optional: complete without it
    assert reg.choose_department(user, "cg-p1", 2) is Step.done
    assert (user.department, user.registered) == ("数学组", True)
    reg.place(user, Role.staff, "cg-p1", None, None)  # a staff link of the same school
    assert user.department == "数学组"
    reg.place(user, Role.staff, "cg-j1", None, None)  # another school's
    assert user.department is None and user.registered
    assert reg.restart(user, Step.department) is Step.done  # 城关中学 lists none: nothing to ask


@pytest.mark.parametrize(
    ("at", "expected", "after"),
    [
        (Step.grade, Step.grade, (Role.student, "cg-p1", None, None, False, "reg_grade")),
        (Step.school, Step.school, (Role.student, None, None, None, False, "school_search")),
        (Step.role, Step.role, (None, None, None, None, False, None)),
    ],
)
def test_restarting_a_step_forgets_it_and_what_follows(
    reg: Registration, at: Step, expected: Step, after: tuple[Any, ...]
) -> None:
    """/profile offers changing the role, the school or the grade."""
    user = User(id=1)
    reg.choose_role(user, "student")
    reg.choose_school(user, "cg-p1")
    reg.choose_grade(user, 5)
    reg.choose_class(user, 2)
    assert reg.restart(user, at) is expected
    assert answers(user) == after


def test_values_that_are_not_in_the_district_are_refused(reg: Registration) -> None:
    user = User(id=1)
    with pytest.raises(Refused):
        reg.choose_role(user, "admin")  # rights never come from registration
    reg.choose_role(user, "student")
    for school in ("nowhere", "cg-k1"):  # unknown; a kindergarten has no grades to choose
        with pytest.raises(Refused):
            reg.choose_school(user, school)
    with pytest.raises(Refused):
        reg.choose_grade(user, 5)  # no school yet
    reg.choose_school(user, "yl-p2")  # 杨柳镇北坡小学: one class a grade
    with pytest.raises(Refused):
        reg.choose_class(user, 1)  # no grade yet
    for grade in (0, 7, 13):
        with pytest.raises(Refused):
            reg.choose_grade(user, grade)
    reg.choose_grade(user, 6)
    for class_no in (0, 2):
        with pytest.raises(Refused):
            reg.choose_class(user, class_no)
    assert answers(user) == (Role.student, "yl-p2", 6, None, False, "reg_class")
    assert reg.choose_class(user, 1) is Step.done


def test_the_school_search_tolerates_typos_and_offers_students_no_kindergarten(reg: Registration) -> None:
    student, staff = User(id=1, role=Role.student), User(id=2, role=Role.staff)
    assert reg.search(student, "城关一小")[0].id == "cg-p1"
    assert reg.search(student, "城关弟一小学")[0].id == "cg-p1"
    assert reg.search(student, " 城 关 一 小 ")[0].id == "cg-p1"  # spaces typed between characters
    assert reg.search(student, "幼儿园") == []
    kindergartens = ["cg-k1", "dc-k1", "xc-k1", "qh-k1", "sq-k1", "yl-k1"]
    assert [s.id for s in reg.search(staff, "幼儿园")] == kindergartens
    assert reg.search(student, "   ") == [] and reg.search(student, "xyz") == []
    assert len(reg.search(staff, "小学")) == 8  # at most eight offered
    # only those nearly as close as the best: 东城小 had listed 西城小学 and 城关第一小学 under 东城小学
    assert [s.name for s in reg.search(student, "东城小")] == ["东城小学"]
    assert {s.name for s in reg.search(staff, "东城")} == {
        "东城街道幼儿园",
        "东城小学",
        "东城实验学校",
        "东城中学",
    }


async def seed_everything(session: Any, user_id: int, tag: str) -> None:
    """One row of each kind that belongs to the user (ids made distinct by `tag`)."""
    attempt = Attempt(user_id=user_id, mode="practice", total=1, shown=1, status="finished", score=100,
                      started_at=T0, finished_at=T0)  # fmt: skip
    session.add(attempt)
    await session.flush()
    session.add(AttemptQuestion(attempt_id=attempt.id, position=0, question_id="q1", option_order="01",
                                chosen="0", correct=True, answered_at=T0))  # fmt: skip
    session.add(
        FaqQuery(user_id=user_id, chat_id=user_id, text="路灯坏了", normalized="路灯坏了", created_at=T0)
    )
    session.add(FaqVote(user_id=user_id, entry_id=f"entry-{tag}", helpful=True, created_at=T0))
    session.add(
        CampaignMember(campaign_id="constitution-day-2026", user_id=user_id, joined_at=T0, reading=True)
    )
    session.add(
        ReadingDelivery(campaign_id="constitution-day-2026", user_id=user_id, day=T0.date(), sent_at=T0)
    )
    round_ = GroupRound(chat_id=-100, started_by=9, question_ids="q1", sent=1, next_at=T0, created_at=T0)
    broadcast = Broadcast(created_by=9, text="通知", audience="all", status="done", created_at=T0)
    session.add_all([round_, broadcast])
    await session.flush()
    session.add(
        GroupPoll(poll_id=f"poll-{tag}", round_id=round_.id, position=0, question_id="q1", correct_option=0)
    )
    await session.flush()
    session.add(GroupAnswer(poll_id=f"poll-{tag}", user_id=user_id, name="张*", correct=True, answered_at=T0))
    session.add(BroadcastDelivery(broadcast_id=broadcast.id, user_id=user_id, status="sent", at=T0))


OWN_ROWS = {
    User: User.id,
    Attempt: Attempt.user_id,
    FaqQuery: FaqQuery.user_id,
    FaqVote: FaqVote.user_id,
    CampaignMember: CampaignMember.user_id,
    ReadingDelivery: ReadingDelivery.user_id,
    GroupAnswer: GroupAnswer.user_id,
    BroadcastDelivery: BroadcastDelivery.user_id,
}


async def test_erasure_removes_every_row_of_the_user_and_nothing_of_others(svc: Services) -> None:
    async with svc.db.transaction() as session:
        await add_user(session, 1, Role.student, "cg-p1", 5, 1, name="张三")
        await add_user(session, 2, Role.student, "cg-p1", 5, 1, name="李四")
        await seed_everything(session, 1, "a")
        await seed_everything(session, 2, "b")
    async with svc.db.transaction() as session:
        before = {model: await count(session, model, column == 1) for model, column in OWN_ROWS.items()}
        assert set(before.values()) == {1}
        await svc.registration.erase(session, 1)
    async with svc.db.transaction() as session:
        mine = {
            model.__name__: await count(session, model, column == 1) for model, column in OWN_ROWS.items()
        }
        theirs = {
            model.__name__: await count(session, model, column == 2) for model, column in OWN_ROWS.items()
        }
        questions = await count(session, AttemptQuestion)
        languages = await svc.registration.languages(session, {1, 2})
    assert mine == dict.fromkeys(mine, 0)
    assert theirs == dict.fromkeys(theirs, 1)
    assert questions == 1  # the other user's; the erased user's went with their attempt
    assert languages == {2: "zh"}

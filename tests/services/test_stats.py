"""Admin reports on a small seeded campaign, checked against figures worked out by hand.

The Constitution Week contest (students, best attempt counts, pass 60, excellent 90):

    user  school 城关第一小学 (cg-p1) / 清河镇中心小学 (qh-p1)  attempts               counted
    101   cg-p1 5-1                                          50 in 120 s, 80 in 300 s  80
    102   cg-p1 5-1                                          95 in 200 s               95
    103   cg-p1 5-2                                          40 in 150 s               40
    104   cg-p1 5-2                                          joined, never began       -
    106   cg-p1 5-1                                          one still open            -
    105   qh-p1 4-1                                          90 in 250 s               90
    107   qh-p1 4-1                                          60 in 900 s, expired      60 (the next day)
    108   cg-p1 staff                                        100 in the staff exam     - (another campaign)

District: 7 participants, 5 completed, 4 passed (80 95 90 60), 2 excellent (95 90), mean 365/5 = 73,
median 80. 城关第一小学: 5 participants, 3 completed, 2 passed, 1 excellent, mean 215/3, median 80.
清河镇中心小学: 2 participants, 2 completed, 2 passed, 1 excellent, mean 75.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from bot.content.campaigns import Campaign
from bot.content.questions import QType
from bot.db.models import Attempt, AttemptQuestion, CampaignMember
from bot.domain import Role, Row, Scope
from bot.render.workbook import workbook as render_workbook
from bot.runtime import Services
from tests.services.helpers import T0, add_user, finished_attempt

CONTEST = "constitution-day-2026"
ID = 7_000_000_000  # Telegram ids: 7000000101 and so on, easy to spot in an export
CG, QH = "城关第一小学", "清河镇中心小学"
DISTRICT = Scope(district=True)
SCHOOL = Scope(schools=frozenset({"cg-p1"}))
ENROLLED = 34210  # students of all schools in content/schools.yaml


def question_ids(svc: Services) -> tuple[str, str]:
    ids = sorted(q.id for q in svc.content.questions.pool("constitution") if q.type is not QType.multiple)
    return ids[0], ids[1]


@pytest.fixture
async def seeded(svc: Services) -> Campaign:
    qa, qb = question_ids(svc)
    # per attempt: (user, score, seconds, minutes after the clock's start, status, qA right, qB right)
    attempts = [
        (101, 50, 120, 5, "finished", False, True),
        (101, 80, 300, 10, "finished", True, True),
        (102, 95, 200, 20, "finished", True, True),
        (103, 40, 150, 30, "finished", False, False),
        (105, 90, 250, 40, "finished", True, True),
        (107, 60, 900, 24 * 60 + 50, "expired", False, True),
    ]
    async with svc.db.transaction() as session:
        for user, klass in ((101, 1), (102, 1), (103, 2), (104, 2), (106, 1)):
            await add_user(session, ID + user, Role.student, "cg-p1", 5, klass)
        for user in (105, 107):
            await add_user(session, ID + user, Role.student, "qh-p1", 4, 1)
        await add_user(session, ID + 108, Role.staff, "cg-p1")
        for user, score, seconds, minutes, status, a_right, b_right in attempts:
            attempt = finished_attempt(
                ID + user, CONTEST, score, seconds, minutes_after=minutes, status=status
            )
            session.add(attempt)
            await session.flush()
            for position, (qid, right) in enumerate(((qa, a_right), (qb, b_right))):
                session.add(AttemptQuestion(attempt_id=attempt.id, position=position, question_id=qid,
                                            option_order="0123", chosen="0", correct=right, answered_at=T0))  # fmt: skip
        session.add(CampaignMember(campaign_id=CONTEST, user_id=ID + 104, joined_at=T0))
        still_open = Attempt(user_id=ID + 106, mode="exam", campaign_id=CONTEST, total=2, shown=1, status="open",
                             started_at=T0)  # fmt: skip
        session.add(still_open)
        await session.flush()
        session.add(
            AttemptQuestion(attempt_id=still_open.id, position=0, question_id=qa, option_order="0123")
        )
        session.add(finished_attempt(ID + 108, "staff-law-exam-2026", 100, 60))
    return svc.content.campaigns[CONTEST]


def figures(r: Row) -> tuple[object, ...]:
    return (r.label, r.participants, r.completed, r.passed, r.excellent, round(r.mean, 2), r.enrolled)


async def test_the_district_summary_matches_a_hand_count(svc: Services, seeded: Campaign) -> None:
    qa, qb = question_ids(svc)
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, seeded, DISTRICT)
    s = report.summary
    assert (s.participants, s.completed, s.passed, s.excellent, s.enrolled) == (7, 5, 4, 2, ENROLLED)
    assert s.mean == 73.0
    assert (s.pass_rate, s.excellence_rate, s.participation, report.median) == (0.8, 0.4, 7 / ENROLLED, 80.0)
    assert [figures(r) for r in report.schools] == [  # best mean first
        (QH, 2, 2, 2, 1, 75.0, 1050),
        (CG, 5, 3, 2, 1, 71.67, 2150),
    ]
    assert [figures(r) for r in report.towns] == [
        ("清河镇", 2, 2, 2, 1, 75.0, 1050),
        ("城关街道", 5, 3, 2, 1, 71.67, 2150),
    ]
    stem = svc.content.questions.questions
    # every answered question of every attempt, the uncounted 50 and the open attempt's unanswered one aside
    assert report.hardest == [(qa, stem[qa].stem, 3, 6), (qb, stem[qb].stem, 1, 6)]


async def test_a_school_scope_sees_its_own_school_only(svc: Services, seeded: Campaign) -> None:
    qa, qb = question_ids(svc)
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, seeded, SCHOOL)
        classes = await svc.stats.classes(session, seeded, SCHOOL)
    s = report.summary
    assert (s.participants, s.completed, s.passed, s.excellent, s.enrolled) == (5, 3, 2, 1, 2150)
    assert (round(s.mean, 2), s.pass_rate, s.excellence_rate, report.median) == (71.67, 2 / 3, 1 / 3, 80.0)
    assert [figures(r) for r in report.schools] == [(CG, 5, 3, 2, 1, 71.67, 2150)]
    assert report.towns == []  # towns are for the district
    assert [(qid, wrong, n) for qid, _, wrong, n in report.hardest] == [(qa, 2, 4), (qb, 1, 4)]
    # class sizes come from schools.yaml's class_sizes (5-1: 46, 5-2: 45)
    assert [figures(r) for r in classes] == [
        (f"{CG} 5年级1班", 3, 2, 2, 1, 87.5, 46),
        (f"{CG} 5年级2班", 2, 1, 0, 0, 40.0, 45),
    ]


async def test_the_last_attempt_counts_when_the_campaign_says_so(svc: Services, seeded: Campaign) -> None:
    last = seeded.model_copy(update={"counts": "last"})
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, last, SCHOOL)
    s = report.summary  # the same: 101's last attempt is also the best one
    assert (s.completed, s.passed, round(s.mean, 2)) == (3, 2, 71.67)
    async with svc.db.transaction() as session:
        await add_user(session, ID + 109, Role.student, "cg-p1", 5, 2)
        session.add(finished_attempt(ID + 109, CONTEST, 100, 100, minutes_after=60))
        session.add(finished_attempt(ID + 109, CONTEST, 30, 100, minutes_after=70))
    async with svc.db.transaction() as session:
        best = (await svc.stats.report(session, seeded, SCHOOL)).summary
        latest = (await svc.stats.report(session, last, SCHOOL)).summary
    assert (best.completed, best.passed, best.excellent, best.mean) == (4, 3, 2, (215 + 100) / 4)
    assert (latest.completed, latest.passed, latest.excellent, latest.mean) == (4, 2, 1, (215 + 30) / 4)


async def test_the_export_tables_have_their_headers_and_pseudonymous_participants(
    svc: Services, seeded: Campaign
) -> None:
    qa, qb = question_ids(svc)
    async with svc.db.transaction() as session:
        tables = await svc.stats.export_tables(session, seeded, DISTRICT)
    assert list(tables) == ["summary", "by_school", "by_class", "participants", "questions"]
    assert [list(r) for r in tables["summary"]] == [
        ["campaign", CONTEST], ["title", seeded.title], ["participants", 7], ["enrolled", ENROLLED],
        ["participation_rate", 7 / ENROLLED], ["completed", 5], ["pass_rate", 0.8], ["excellence_rate", 0.4],
        ["mean_score", 73.0], ["median_score", 80.0],
    ]  # fmt: skip
    header = ["name", "participants", "enrolled", "participation_rate", "completed", "passed", "pass_rate",
              "excellent", "excellence_rate", "mean_score"]  # fmt: skip
    assert [list(r) for r in tables["by_school"]] == [
        header,
        [QH, 2, 1050, 2 / 1050, 2, 2, 1.0, 1, 0.5, 75.0],
        [CG, 5, 2150, 5 / 2150, 3, 2, 2 / 3, 1, 1 / 3, 71.67],
    ]
    assert [list(r) for r in tables["by_class"]] == [
        header,
        [f"{CG} 5年级1班", 3, 46, 3 / 46, 2, 2, 1.0, 1, 0.5, 87.5],
        [f"{QH} 4年级1班", 2, None, None, 2, 2, 1.0, 1, 0.5, 75.0],  # class size not known
        [f"{CG} 5年级2班", 2, 45, 2 / 45, 1, 0, 0.0, 0, 0.0, 40.0],
    ]
    assert [tuple(r) for r in tables["participants"]] == [
        ("participant", "role", "school", "grade", "class", "score", "seconds", "passed", "excellent"),
        ("P000001", "student", CG, 5, 1, 95, 200, True, True),
        ("P000002", "student", CG, 5, 1, 80, 300, True, False),
        ("P000003", "student", CG, 5, 2, 40, 150, False, False),
        ("P000004", "student", QH, 4, 1, 90, 250, True, True),
        ("P000005", "student", QH, 4, 1, 60, 900, True, False),
    ]
    telegram_ids = {ID + n for n in range(101, 109)}
    cells = [cell for row in tables["participants"] for cell in row]
    assert not telegram_ids & set(cells)
    assert not any(str(uid) in str(cell) for uid in telegram_ids for cell in cells)
    # facility: share right over all 6 answers; discrimination: top quarter (102) minus bottom (103, 107)
    bank = svc.content.questions.questions
    assert [list(r) for r in tables["questions"]] == [
        ["question", "law", "stem", "answers", "facility", "discrimination"],
        [qa, "constitution", bank[qa].stem, 6, 0.5, 1.0],
        [qb, "constitution", bank[qb].stem, 6, 0.833, 0.5],
    ]


async def test_a_school_export_numbers_its_own_participants_only(svc: Services, seeded: Campaign) -> None:
    async with svc.db.transaction() as session:
        tables = await svc.stats.export_tables(session, seeded, SCHOOL)
    assert [tuple(r)[:6] for r in tables["participants"][1:]] == [
        ("P000001", "student", CG, 5, 1, 95),
        ("P000002", "student", CG, 5, 1, 80),
        ("P000003", "student", CG, 5, 2, 40),
    ]
    assert [r[0] for r in tables["by_school"][1:]] == [CG]
    xlsx, archive = render_workbook(tables)
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert book.sheetnames == ["summary", "by_school", "by_class", "participants", "questions"]
    [header] = book["participants"].iter_rows(max_row=1, values_only=True)
    assert list(header) == list(tables["participants"][0])
    book.close()
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert sorted(zf.namelist()) == sorted(f"{name}.csv" for name in tables)
        text = zf.read("participants.csv").decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 with the mark
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1] == ["P000001", "student", CG, "5", "1", "95", "200", "True", "True"] and len(rows) == 4


async def test_the_chart_data_counts_completions_per_day_and_rates_per_school(
    svc: Services, seeded: Campaign
) -> None:
    async with svc.db.transaction() as session:
        data = await svc.stats.chart_data(session, seeded, DISTRICT)
    assert data.title == seeded.title
    assert data.days == [(date(2026, 12, 1), 4), (date(2026, 12, 2), 1)]  # 107 finished the next day
    assert [(label, round(p, 2), round(e, 2)) for label, p, e in data.rates] == [
        (QH, 100.0, 50.0),
        (CG, 66.67, 33.33),
    ]

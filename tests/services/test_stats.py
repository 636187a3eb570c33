"""Admin reports on a small seeded campaign, checked against figures worked out by hand.

The Constitution Week contest (students, best attempt counts, pass 60, excellent 90):

    user  school 城关第一小学 (cg-p1) / 清河镇中心小学 (qh-p1)  attempts               counted
    101   cg-p1 5-1                                          50 in 120 s, 80 in 300 s  80
    102   cg-p1 5-1                                          95 in 200 s               95
    103   cg-p1 5-2                                          40 in 150 s               40
    104   cg-p1 5-2                                          joined, never began       -
    106   cg-p1 5-1                                          one still open            -
    105   qh-p1 4-1                                          90 in 250 s               90
    107   qh-p1 4-1                                          60 in 900 s, timed out    60 (07:30 the next
                                                             day in Shanghai, still the 1st in UTC)
    108   cg-p1 staff                                        100 in the staff exam     - (another campaign)

参与 counts those who took part (submitted or timed out): 104 (never began) and 106 (still open) do
not. District: 5 took part, 4 submitted, 4 passed (80 95 90 60), 2 excellent (95 90), so pass rate
4/5 and excellence rate 2/5; mean 365/5 = 73, median 80. 城关第一小学: 3 took part, all submitted,
2 passed, 1 excellent, mean 215/3. 清河镇中心小学: 2 took part, 1 submitted, 2 passed, 1 excellent, mean 75.

Denominators follow the audience, students of grades 3–12: 城关第一小学 has per-grade counts (356 +
358 + 360 + 374 = 1448); 清河镇中心小学 has none, so 4 of its 6 grades' share of 1050 is 700 (estimated).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import statistics
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.config import ROOT
from bot.content.bundle import require_content
from bot.content.campaigns import Campaign, Kind
from bot.content.questions import QType
from bot.db import stats as queries
from bot.db.models import Attempt, AttemptQuestion, CampaignMember, CertificateRecord, VerifiedMember
from bot.domain import Role, Row, Scope
from bot.render.workbook import workbook as render_workbook
from bot.runtime import Services
from bot.views import Speaker
from bot.views.export import export_names, export_sheets
from bot.views.stats import mean_label, pct, scheduled_heading, stats_text
from tests.services.helpers import T0, add_user, finished_attempt

CONTEST = "constitution-day-2026"
ID = 7_000_000_000  # Telegram ids: 7000000101 and so on, easy to spot in an export
CG, QH = "城关第一小学", "清河镇中心小学"
DISTRICT = Scope(district=True)
SCHOOL = Scope(schools=frozenset({"cg-p1"}))
ENROLLED = (
    26723  # students of grades 3–12 in content/schools.yaml (not 34,210: no kindergartens, no grades 1–2)
)
CG_SEATS, QH_SEATS = 1448, 700
STAFF_EXAM = "staff-law-exam-2026"


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
        (107, 60, 900, 22 * 60 + 30, "expired", False, True),  # 23:30 UTC, 07:30 on the 2nd in Shanghai
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
        session.add(finished_attempt(ID + 108, STAFF_EXAM, 100, 60))
        await session.flush()
        await queries.rebuild_tallies(session)  # as the quiz engine counts them when attempts end
    return svc.content.campaigns[CONTEST]


def figures(r: Row) -> tuple[object, ...]:
    return (r.label, r.participants, r.completed, r.passed, r.excellent, round(r.mean, 2), r.enrolled)


async def test_the_district_summary_matches_a_hand_count(svc: Services, seeded: Campaign) -> None:
    qa, qb = question_ids(svc)
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, seeded, DISTRICT)
    s = report.summary
    assert (s.participants, s.completed, s.passed, s.excellent, s.enrolled) == (5, 4, 4, 2, ENROLLED)
    assert s.mean == 73.0 and not s.exact  # some schools' grade shares are estimated
    assert (s.pass_rate, s.excellence_rate, s.participation, report.median) == (0.8, 0.4, 5 / ENROLLED, 80.0)
    # every school the contest is for (no kindergartens), those nobody took part in first
    assert len(report.schools) == 24 and {r.key for r in report.schools[:22]} == {
        sid for sid, school in svc.content.district.schools.items()
        if school.grade_list and sid not in ("cg-p1", "qh-p1")
    }  # fmt: skip
    assert all(r.participants == 0 and r.enrolled > 0 for r in report.schools[:22])
    assert [figures(r) for r in report.schools[22:]] == [  # then best mean first
        (QH, 2, 1, 2, 1, 75.0, QH_SEATS),
        (CG, 3, 3, 2, 1, 71.67, CG_SEATS),
    ]
    towns = {r.label: r for r in report.towns}  # every town, with all its schools' denominators
    assert [r.label for r in report.towns] == [
        "城关街道",
        "东城街道",
        "西城街道",
        "清河镇",
        "双桥镇",
        "杨柳镇",
    ]
    assert figures(towns["城关街道"]) == ("城关街道", 3, 3, 2, 1, 71.67, 1448 + 1034 + 1780 + 1850 + 2400)
    assert figures(towns["清河镇"]) == ("清河镇", 2, 1, 2, 1, 75.0, 700 + 280 + 880)
    assert figures(towns["杨柳镇"])[1:3] == (0, 0)
    assert report.absent_by_town == {"chengguan": 4, "dongcheng": 4, "xicheng": 5, "qinghe": 2, "shuangqiao": 3,
                                     "yangliu": 4}  # fmt: skip
    stem = svc.content.questions.questions
    # every answered question of every attempt that ended (the uncounted 50 too), from the tallies
    assert report.hardest == [(qa, stem[qa].stem, 3, 6), (qb, stem[qb].stem, 1, 6)]


def test_a_scheduled_report_is_headed_by_its_day_or_the_campaigns_end(svc: Services) -> None:
    """An admins' pass: the report at a campaign's end had been headed 定时报告（end）."""
    assert scheduled_heading(Speaker(svc, "zh"), date(2026, 12, 7)) == "🕕 定时报告（12月7日）"
    assert scheduled_heading(Speaker(svc, "zh"), None) == "🕕 定时报告（活动结束）"
    assert scheduled_heading(Speaker(svc, "en"), None) == "🕕 Scheduled report (the campaign's end)"


async def test_what_the_admin_reads_in_the_summary(svc: Services, seeded: Campaign) -> None:
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, seeded, DISTRICT)
    text = stats_text(Speaker(svc, "zh"), report)
    assert f"参与 5 人 / 应参与 {ENROLLED} 人（参与率 ≈0.0%）" in text  # 5/26723, estimated in part
    assert "完成 4 人；通过率 80.0%，优秀率 40.0%" in text
    assert "尚无人参与的学校（22 所）" in text
    # the largest first, each with what its number is (an admins' pass: 东城中学 (118), in the order of codes)
    rows = [line for line in text.splitlines() if line.startswith("· ") and "（应参与 " in line]
    sizes = [int(line.split("（应参与 ")[1].split(" 人")[0]) for line in rows]
    assert len(rows) == 15 and sizes == sorted(sizes, reverse=True) and "……另有 7 所" in text
    assert text.index("尚无人参与的学校") < text.index("各镇街")  # the schools to chase come first
    assert "清河镇：参与率 ≈0.1%（2/1860），未参与学校 2 所" in text
    assert f"{CG}：参与率 0.2%，通过率 66.7%" in text  # 3/1448: per-grade counts, exact
    assert "≈：应参与人数是估算的" in text  # what ≈ means, said where one is shown
    async with svc.db.transaction() as session:  # a school where nobody took part: no mean of 0.0
        nobody = await svc.stats.report(session, seeded, Scope(schools=frozenset({"cg-p2"})))
    assert "平均分 —，中位数 —" in stats_text(Speaker(svc, "zh"), nobody)
    async with svc.db.transaction() as session:  # per-grade counts: no ≈, nothing to explain
        exact = stats_text(Speaker(svc, "zh"), await svc.stats.report(session, seeded, SCHOOL))
    assert "≈" not in exact


async def test_rates_have_one_decimal_and_a_roster_overrun_is_flagged_not_shown(svc: Services) -> None:
    assert pct(8 / 2662) == "0.3%" and pct(None) == "—" and pct(2 / 3) == "66.7%"
    # a half is rounded up, as people do (an admins' pass: a mean of 73.25 had shown as 73.2)
    assert mean_label(73.25) == "73.3" and mean_label(73.24) == "73.2" and pct(0.00125) == "0.1%"
    over = Row("cg-p1:5:1", "城关第一小学 5年级1班", 50, 50, 40, 10, 80.0, 46)
    assert over.roster_problem and over.participation is None
    from bot.views.stats import participation

    assert participation(Speaker(svc, "zh"), over, "参与").startswith("⚠️名册人数有误")


async def test_staff_exam_denominators_are_all_the_towns_staff(svc: Services) -> None:
    """The issue's figure: 4 staff of 城关第一小学 took the exam; 城关街道 has 792 staff in its six schools
    (its kindergarten's too): 0.5 %, not 3 % (4/128) as when only schools with participants counted."""
    async with svc.db.transaction() as session:
        for n in range(4):
            await add_user(session, ID + 200 + n, Role.staff, "cg-p1")
            session.add(finished_attempt(ID + 200 + n, STAFF_EXAM, 70 + n, 600, status="finished"))
        await add_user(session, ID + 210, Role.staff, "cg-p1")
        session.add(finished_attempt(ID + 210, STAFF_EXAM, 0, 60, status="abandoned"))  # not 参考
        session.add(CampaignMember(campaign_id=STAFF_EXAM, user_id=ID + 211 - 1, joined_at=T0, reading=True))
    exam = svc.content.campaigns[STAFF_EXAM]
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, exam, DISTRICT)
        staff = await svc.stats.classes(session, exam, SCHOOL)
    town = next(r for r in report.towns if r.label == "城关街道")
    assert (town.participants, town.enrolled) == (4, 792)
    text = stats_text(Speaker(svc, "zh"), report)
    assert "城关街道：参考率 0.5%（4/792），未参考学校 5 所" in text
    voice = Speaker(svc, "zh")
    async with svc.db.transaction() as session:
        data = await svc.stats.export_data(session, exam, DISTRICT, export_names(voice), svc.clock())
    [notes] = [s for s in export_sheets(voice, data) if s.key == "notes"]
    source = dict(notes.rows)["分母来源"]  # a staff exam's notes had spoken of grades and kindergartens
    assert (
        source.startswith("学校名册（区里维护的 content/schools.yaml）中各校的教职工人数")
        and "幼儿园" not in source
    )
    assert "参考 4 人" in text and "通过率 100.0%" in text
    # staff have no class: one row per school's staff, not "None年级None班"
    assert [figures(r) for r in staff] == [(f"{CG} 教职工", 4, 4, 4, 0, 71.5, 128)]


async def test_staff_rows_follow_their_departments(svc: Services) -> None:
    """城关第一小学 lists departments: two of 语文组 (70 and 92), one of 行政 (60) and one who gave none (75)
    took the staff exam; its 128 staff are of every department, so once they are split no staff row has a
    denominator. 城关中学 lists none: its one taker (50) is its staff's row, of 150."""
    async with svc.db.transaction() as session:
        for n, school, department, score in (
            (1, "cg-p1", "语文组", 70),
            (2, "cg-p1", "语文组", 92),
            (3, "cg-p1", "行政", 60),
            (4, "cg-p1", None, 75),
            (5, "cg-j1", None, 50),
        ):
            user = await add_user(session, ID + 300 + n, Role.staff, school)
            user.department = department
            session.add(finished_attempt(ID + 300 + n, STAFF_EXAM, score, 600))
            session.add(
                CampaignMember(campaign_id=STAFF_EXAM, user_id=ID + 300 + n, joined_at=T0, reading=n < 3)
            )
    exam = svc.content.campaigns[STAFF_EXAM]
    expected = [
        (f"{CG} 教职工·语文组", 2, 2, 2, 1, 81.0, 0),
        (f"{CG} 教职工（未填部门）", 1, 1, 1, 0, 75.0, 0),  # beside departments: those who gave none
        (f"{CG} 教职工·行政", 1, 1, 1, 0, 60.0, 0),
        ("城关中学 教职工", 1, 1, 0, 0, 50.0, 150),  # a school without departments: its whole staff
    ]
    for counts in ("best", "last"):  # the aggregate, and the ranking of results()
        for scope in (DISTRICT, Scope(schools=frozenset({"cg-p1", "cg-j1"}))):
            async with svc.db.transaction() as session:
                rows = await svc.stats.classes(session, exam.model_copy(update={"counts": counts}), scope)
            assert [figures(r) for r in rows] == expected, (counts, scope)
    async with svc.db.transaction() as session:  # a reading's subscribers are grouped alike
        rows = await svc.stats.classes(session, exam.model_copy(update={"kind": Kind.reading}), DISTRICT)
    assert [(r.label, r.participants) for r in rows] == [(f"{CG} 教职工·语文组", 2)]


async def test_a_school_scope_sees_its_own_school_only(svc: Services, seeded: Campaign) -> None:
    qa, qb = question_ids(svc)
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, seeded, SCHOOL)
        classes = await svc.stats.classes(session, seeded, SCHOOL)
    s = report.summary
    assert (s.participants, s.completed, s.passed, s.excellent, s.enrolled) == (3, 3, 2, 1, CG_SEATS)
    assert (round(s.mean, 2), s.pass_rate, s.excellence_rate, report.median) == (71.67, 2 / 3, 1 / 3, 80.0)
    assert [figures(r) for r in report.schools] == [(CG, 3, 3, 2, 1, 71.67, CG_SEATS)]
    assert report.towns == []  # towns are for the district
    assert [(qid, wrong, n) for qid, _, wrong, n in report.hardest] == [(qa, 2, 4), (qb, 1, 4)]
    # class sizes come from schools.yaml's class_sizes (5-1: 46, 5-2: 45)
    assert [figures(r) for r in classes] == [
        (f"{CG} 5年级1班", 2, 2, 2, 1, 87.5, 46),
        (f"{CG} 5年级2班", 1, 1, 0, 0, 40.0, 45),
    ]


async def test_the_last_attempt_counts_when_the_campaign_says_so(svc: Services, seeded: Campaign) -> None:
    last = seeded.model_copy(update={"counts": "last"})
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, last, SCHOOL)
    s = report.summary  # the same: 101's last attempt is also the best one
    assert (s.participants, s.passed, round(s.mean, 2)) == (3, 2, 71.67)
    async with svc.db.transaction() as session:
        await add_user(session, ID + 109, Role.student, "cg-p1", 5, 2)
        session.add(finished_attempt(ID + 109, CONTEST, 100, 100, minutes_after=60))
        session.add(finished_attempt(ID + 109, CONTEST, 30, 100, minutes_after=70))
    async with svc.db.transaction() as session:
        best = (await svc.stats.report(session, seeded, SCHOOL)).summary
        latest = (await svc.stats.report(session, last, SCHOOL)).summary
    assert (best.participants, best.passed, best.excellent, best.mean) == (4, 3, 2, (215 + 100) / 4)
    assert (latest.participants, latest.passed, latest.excellent, latest.mean) == (4, 2, 1, (215 + 30) / 4)


def sheet_rows(book, title: str) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [tuple(r) for r in book[title].iter_rows(values_only=True)]


async def test_the_export_an_admin_hands_on(svc: Services, seeded: Campaign) -> None:
    async with svc.db.transaction() as session:
        session.add(CertificateRecord(code="K7QM3XPA", user_id=ID + 102, campaign_id=CONTEST, score=95,
                                      level="excellent", issued_at=T0 + timedelta(hours=2)))  # fmt: skip
    voice = Speaker(svc, "zh")
    async with svc.db.transaction() as session:
        data = await svc.stats.export_data(session, seeded, DISTRICT, export_names(voice), svc.clock())
    xlsx, archive = render_workbook(export_sheets(voice, data))
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["说明", "汇总", "镇街", "学校", "班级", "证书登记", "未通过人员", "题目分析"]
    notes = dict(sheet_rows(book, "说明")[1:])
    assert notes["活动"] == f"{seeded.title} ({CONTEST})"
    assert notes["时间"] == "2026-12-01 07:00 – 2026-12-07 22:00 (CST)"
    assert notes["对象"] == "学生（3–12 年级）" and notes["范围"] == "全区"
    assert "content/schools.yaml" in notes["分母来源"] and "幼儿园不计入" in notes["分母来源"]
    assert "通过率 = 通过人数 ÷ 参与人数" in notes["口径"] and notes["导出时间"]
    schools = sheet_rows(book, "学校")
    # each school with its 镇街, to sort and subtotal by (an admins' pass)
    assert schools[0][:5] == ("学校", "镇街", "参与人数", "应参与人数", "参与率（参与人数 ÷ 应参与人数）")
    assert len(schools) == 1 + 24 and all(r[2] == 0 for r in schools[1:23])  # every school, zeros first
    assert schools[-1][:4] == (CG, "城关街道", 3, CG_SEATS) and schools[-1][6:8] == (3, 2)
    assert schools[-1][4] == pytest.approx(3 / CG_SEATS) and schools[-1][8] == pytest.approx(2 / 3)
    assert schools[-1][5] is None  # nothing to say about its roster
    assert schools[-2][5] == "估算"  # 清河镇中心小学's denominator is a share of its students
    assert all(r[11] is None for r in schools[1:23])  # the mean of nobody is no 0 (it said 0 by a blank rate)
    sheet = book["学校"]
    assert sheet.freeze_panes == "A2" and sheet["E25"].number_format == "0.0%"
    summary = book["汇总"]  # its rates are percentages too (they were fractions: 0.6666666666666666)
    # … and its 名册核对 is there for what it says (an estimate here), left out when it says nothing
    assert summary["A5"].value == "名册核对" and summary["B5"].value == "估算"
    assert [summary[f"B{r}"].number_format for r in (4, 8, 10)] == ["0.0%"] * 3 and summary[
        "B2"
    ].number_format == "General"
    assert sheet.column_dimensions["A"].width >= 14 and sheet["A1"].font.b
    towns = sheet_rows(book, "镇街")
    assert towns[0][-1] == "未参与学校数" and len(towns) == 7
    assert towns[4][:3] == ("清河镇", 2, 1860) and towns[4][-1] == 2
    # the certificate register: who passed and when (local time), pseudonymous (numbered in school,
    # class and score order), with the certificate issued, if any; and those who did not pass
    at = datetime(2026, 12, 1, 9, 0)  # the clock's start in Shanghai
    assert sheet_rows(book, "证书登记") == [
        ("编号", "学校", "年级", "班级", "成绩", "用时（秒）", "等级", "通过时间", "证书编号", "领证时间"),
        (2, CG, 5, 1, 80, 300, "合格", at + timedelta(minutes=10), None, None),
        (1, CG, 5, 1, 95, 200, "优秀", at + timedelta(minutes=20), "K7QM3XPA", at + timedelta(hours=2)),
        (4, QH, 4, 1, 90, 250, "优秀", at + timedelta(minutes=40), None, None),
        (
            5,
            QH,
            4,
            1,
            60,
            900,
            "合格",
            datetime(2026, 12, 2, 7, 30),
            None,
            None,
        ),  # timed out: 参与 all the same
    ]
    assert sheet_rows(book, "未通过人员") == [
        ("编号", "学校", "年级", "班级", "成绩", "用时（秒）", "等级"),
        (3, CG, 5, 2, 40, 150, "未通过"),
    ]
    telegram_ids = {ID + n for n in range(101, 109)}
    cells = [str(cell) for title in book.sheetnames for row in sheet_rows(book, title) for cell in row]
    assert not any(str(uid) in cell for uid in telegram_ids for cell in cells)
    # five takers: too few for discrimination, which is left empty and says why (qa: 3 of 5 right)
    items = sheet_rows(book, "题目分析")
    assert items[0][:9] == ("题号", "法律", "题干", "选项（题库顺序；作答时选项顺序随机打乱）", "正确答案", "作答人数（每人计入成绩的那一次）",
                            "正确率（答对 ÷ 作答）", "区分度（前 25% 答对率 − 后 25% 答对率）", "点二列相关")  # fmt: skip
    assert items[1][5:9] == (5, 0.6, None, None) and items[1][-1] == "作答不足 20 人，不计区分度"
    assert items[1][1] == "宪法"  # as teachers call it (it had been constitution)
    assert items[1][9] == 1.0  # every taker chose option A
    # the options as the share columns letter them, and the right one: what A and 0.6 are of
    question = svc.content.questions.get(items[1][0])
    assert question is not None and items[1][3].startswith(
        f"A. {question.choices[0]}；B. {question.choices[1]}"
    )
    assert items[1][4] == "".join("ABCDEF"[i] for i in sorted(question.correct))
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert sorted(zf.namelist()) == sorted(f"{k}.csv" for k in (
            "notes", "summary", "towns", "schools", "classes", "certificates", "not_passed", "items"))  # fmt: skip
        text = zf.read("certificates.csv").decode("utf-8")
        schools_csv = list(csv.reader(io.StringIO(zf.read("schools.csv").decode("utf-8-sig"))))
    # rates as the workbook shows them and the notes say (一位小数), not 0.6666666666666666
    assert schools_csv[0][4].startswith("参与率") and re.fullmatch(r"\d+\.\d%", schools_csv[1][4])
    assert text.startswith("\ufeff")  # Excel reads UTF-8 with the mark
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert (
        rows[1] == ["2", CG, "5", "1", "80", "300", "合格", "2026-12-01 09:10:00", "", ""] and len(rows) == 5
    )


async def test_the_export_speaks_english_to_an_english_admin(svc: Services, seeded: Campaign) -> None:
    voice = Speaker(svc, "en")
    async with svc.db.transaction() as session:
        data = await svc.stats.export_data(session, seeded, SCHOOL, export_names(voice), svc.clock())
    sheets = export_sheets(voice, data)
    assert [s.title for s in sheets] == ["Notes", "Summary", "Schools", "Classes", "Certificates", "Not passed",
                                         "Items"]  # fmt: skip
    schools = next(s for s in sheets if s.key == "schools")
    assert list(schools.header[:4]) == ["School", "Town", "Took part", "Enrolled (for Took part)"]
    assert [r[0] for r in schools.rows] == [CG]
    register = next(s for s in sheets if s.key == "certificates")
    assert list(register.header[-4:]) == ["Level", "Passed at", "Certificate", "Issued at"]
    assert [r[:7] for r in register.rows] == [
        (2, CG, 5, 1, 80, 300, "Pass"),
        (1, CG, 5, 1, 95, 200, "Excellent"),
    ]
    assert [r[-1] for r in next(s for s in sheets if s.key == "not_passed").rows] == ["not passed"]


async def test_item_statistics_with_enough_takers(svc: Services) -> None:
    """24 takers of one question: facility, the upper-lower quarter discrimination, the point-biserial
    correlation (Pearson's r of right-or-wrong with the score) and each option's share."""
    qa, _ = question_ids(svc)
    scores = [10 + 4 * n for n in range(24)]
    right = [n % 3 != 0 if n < 12 else n % 5 != 0 for n in range(24)]
    chosen = ["0" if ok else ("1" if n % 2 else "2") for n, ok in enumerate(right)]
    async with svc.db.transaction() as session:
        for n in range(24):
            await add_user(session, ID + 300 + n, Role.student, "cg-p1", 5, 1)
            attempt = finished_attempt(ID + 300 + n, CONTEST, scores[n], 100)
            session.add(attempt)
            await session.flush()
            session.add(AttemptQuestion(attempt_id=attempt.id, position=0, question_id=qa, option_order="0123",
                                        chosen=chosen[n], correct=right[n], answered_at=T0))  # fmt: skip
    async with svc.db.transaction() as session:
        data = await svc.stats.export_data(session, svc.content.campaigns[CONTEST], DISTRICT,
                                             export_names(Speaker(svc, "zh")), svc.clock())  # fmt: skip
    [item] = data.items
    assert (item.takers, item.few, item.facility) == (24, False, round(sum(right) / 24, 3))
    top, bottom = right[18:], right[:6]  # quarters by score
    assert item.discrimination == round(sum(top) / 6 - sum(bottom) / 6, 3)
    assert item.point_biserial == round(statistics.correlation([float(r) for r in right], scores), 3)
    shares = [sum(1 for c in chosen if c == str(i)) / 24 for i in range(len(item.shares))]
    assert item.shares == tuple(round(x, 3) for x in shares) and len(item.shares) >= 3
    # the dashboard's "most chosen wrong option" (wrong by the question's answer; on a tie, listed first):
    # the district's and a school's from the tallies (as the quiz engine counts them when attempts end),
    # a class's from its answers; the same here, where every attempt counts
    async with svc.db.transaction() as session:
        await queries.rebuild_tallies(session)
    question = svc.content.questions.get(qa)
    assert question is not None
    wrong = {i: chosen.count(str(i)) for i in range(len(question.choices)) if i not in question.correct}
    most = min((i for i in wrong if wrong[i]), key=lambda i: (-wrong[i], i))
    for scope in (DISTRICT, Scope(schools=frozenset({"cg-p1"})), Scope(classes=frozenset({("cg-p1", 5, 1)}))):
        async with svc.db.transaction() as session:
            found = await svc.stats.wrong_choices(session, svc.content.campaigns[CONTEST], scope, [qa])
        assert found == {qa: (question.choices[most], round(wrong[most] / 24, 3))}, scope


async def test_the_chart_data_counts_per_local_day_and_names_the_schools_at_zero(
    svc: Services, seeded: Campaign
) -> None:
    async with svc.db.transaction() as session:
        data = await svc.stats.chart_data(session, seeded, DISTRICT)
    assert data.title == seeded.title
    # 107's 23:30 UTC is 07:30 on the 2nd in Shanghai (TIMEZONE): the 2nd's bar, not the 1st's
    assert data.days == [(date(2026, 12, 1), 4), (date(2026, 12, 2), 1)]
    assert [(label, round(p, 2), round(e, 2)) for label, p, e in data.rates] == [
        (QH, 100.0, 50.0),
        (CG, 66.67, 33.33),
    ]
    assert len(data.absent) == 22 and "杨柳镇北坡小学" in data.absent


async def test_reloaded_roster_figures_are_the_denominators_at_once(
    svc: Services, seeded: Campaign, tmp_path: Path
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    path = tmp_path / "content" / "schools.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "grade_students: {1: 350, 2: 352, 3: 356, 4: 358, 5: 360, 6: 374}",
        "grade_students: {1: 350, 2: 352, 3: 356, 4: 358, 5: 360, 6: 474}").replace("students: 2150", "students: 2250"),
        encoding="utf-8")  # fmt: skip
    svc.replace_content(require_content(tmp_path / "content", ROOT / "quizzes", today=date(2026, 12, 1)))
    async with svc.db.transaction() as session:
        report = await svc.stats.report(session, seeded, SCHOOL)
    assert report.summary.enrolled == CG_SEATS + 100


async def test_a_reading_counts_its_subscribers_and_a_contest_does_not(
    svc: Services, seeded: Campaign
) -> None:
    async with svc.db.transaction() as session:
        for n, reading in ((401, True), (402, True), (403, False)):
            await add_user(session, ID + n, Role.student, "cg-p1", 5, 2)
            session.add(CampaignMember(campaign_id=CONTEST, user_id=ID + n, joined_at=T0, reading=reading))
    reading = seeded.model_copy(update={"kind": Kind.reading})
    async with svc.db.transaction() as session:
        contest = await svc.stats.report(session, seeded, SCHOOL)
        daily = await svc.stats.report(session, reading, SCHOOL)
        classes = await svc.stats.classes(session, reading, SCHOOL)
    assert contest.summary.participants == 3  # subscribing to the reading is not taking the contest
    assert daily.summary.participants == 2 and daily.schools[0].participants == 2
    assert [(r.label, r.participants, r.enrolled) for r in classes] == [(f"{CG} 5年级2班", 2, 45)]


async def test_the_hardest_questions_of_verified_members_are_theirs_alone(
    svc: Services, seeded: Campaign
) -> None:
    """`/stats verified` had listed the tallies' questions, everyone's (an admins' exploratory pass: 错 2/2 with
    one member verified): with 103 alone verified, who got both questions wrong in one attempt, each is
    wrong once in one answer, for the district as for the school."""
    qa, qb = question_ids(svc)
    stem = svc.content.questions.questions
    async with svc.db.transaction() as session:
        session.add(VerifiedMember(user_id=ID + 103, school_id="cg-p1", grade=5, class_no=2))
    async with svc.db.transaction() as session:
        for scope in (DISTRICT, SCHOOL):
            verified = await svc.stats.report(session, seeded, replace(scope, verified_only=True))
            assert verified.summary.participants == 1
            assert verified.hardest == [(qa, stem[qa].stem, 1, 1), (qb, stem[qb].stem, 1, 1)]
        everyone = (await svc.stats.report(session, seeded, DISTRICT)).hardest
    assert everyone[0][2:] == (3, 6)  # the tallies: every ended attempt's answers


async def test_an_erased_users_answers_leave_the_hardest_questions(svc: Services, seeded: Campaign) -> None:
    """ "错得最多的题目" had kept counting an erased user's wrong answers (their participation and the export
    no longer did): erasing 103, who got both questions wrong, takes them out, as a recount would."""
    qa, _ = question_ids(svc)
    stem = svc.content.questions.questions
    async with svc.db.transaction() as session:
        await svc.registration.erase(session, ID + 103)
    async with svc.db.transaction() as session:
        after = (await svc.stats.report(session, seeded, DISTRICT)).hardest
        await queries.rebuild_tallies(session)
        recounted = (await svc.stats.report(session, seeded, DISTRICT)).hardest
    assert after == recounted == [(qa, stem[qa].stem, 2, 5)]

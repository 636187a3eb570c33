"""The district file: validated with file:line messages; synced into the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.content.schools import load_district
from bot.content.yamlfile import Report
from bot.db.models import School
from bot.db.schools import sync_district
from bot.runtime import Services


def load(tmp_path: Path, text: str) -> tuple[object, Report]:
    path = tmp_path / "schools.yaml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    return load_district(path, report), report


def test_the_sample_district_has_every_kind_of_school(services: Services) -> None:
    kinds = {s.kind.value for s in services.content.district.schools.values()}
    assert kinds == {"kindergarten", "primary", "junior", "nine_year", "senior", "vocational"}
    assert len(services.content.district.schools) >= 30


def test_duplicate_ids_and_bad_values_are_reported_with_lines(tmp_path: Path) -> None:
    district, report = load(
        tmp_path,
        """towns:
  - id: t1
    name: 一镇
    schools:
      - {id: s1, name: 一小, kind: primary}
      - {id: s1, name: 二小, kind: primary}
      - {id: s3, name: 三小, kind: primary, classes: -2}
""",
    )
    assert district is None
    messages = [str(p) for p in report.errors]
    assert any(":6:" in m and "duplicate" in m for m in messages)
    assert any(":7:" in m and "classes" in m for m in messages)


def test_departments_are_optional_and_checked(tmp_path: Path) -> None:
    district, report = load(
        tmp_path,
        """towns:
  - id: t1
    name: 一镇
    schools:
      - {id: s1, name: 一小, kind: primary, departments: [语文组, 数学组]}
      - {id: s2, name: 二小, kind: primary}
""",
    )
    assert report.ok and district is not None
    assert district.schools["s1"].departments == ("语文组", "数学组")  # type: ignore[attr-defined]
    assert district.schools["s2"].departments == ()  # type: ignore[attr-defined]
    district, report = load(
        tmp_path,
        """towns:
  - id: t1
    name: 一镇
    schools:
      - {id: s1, name: 一小, kind: primary, departments: [语文组, 数学组, 语文组]}
      - {id: s2, name: 二小, kind: primary, departments: [语文组, ""]}
      - {id: s3, name: 三小, kind: primary, departments: [教务处教学研究与质量监测中心办公室秘书科室]}
      - {id: s4, name: 四小, kind: primary, departments: ["行政:后勤"]}
""",
    )
    assert district is None
    messages = [str(p) for p in report.errors]
    assert any(":5:" in m and "listed twice: 语文组" in m for m in messages)
    assert any(":6:" in m and "empty" in m for m in messages)
    assert any(":7:" in m and "longer than 20" in m for m in messages)
    assert any(":8:" in m and "':'" in m for m in messages)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    district, report = load(tmp_path, "towns:\n  - id: t1\n    name: [unclosed\n")
    assert district is None and "YAML syntax error" in str(report.errors[0])


async def test_sync_keeps_removed_schools_but_marks_them_inactive(services: Services, tmp_path: Path) -> None:
    async with services.db.transaction() as session:
        await sync_district(session, district=services.content.district)
    smaller, _ = load(
        tmp_path,
        "towns:\n  - id: chengguan\n    name: 城关街道\n    schools:\n"
        "      - {id: cg-p1, name: 城关第一小学, kind: primary, classes: 8}\n",
    )
    async with services.db.transaction() as session:
        await sync_district(session, district=smaller)  # type: ignore[arg-type]
    async with services.db.transaction() as session:
        active = await session.scalar(select(func.count()).select_from(School).where(School.active))
        total = await session.scalar(select(func.count()).select_from(School))
    assert active == 1 and total == len(services.content.district.schools)


def test_grade_students_are_checked_against_the_grades_and_the_total(tmp_path: Path) -> None:
    district, report = load(
        tmp_path,
        """towns:
  - id: t1
    name: 一镇
    schools:
      - {id: s1, name: 一小, kind: primary, students: 300, grade_students: {1: 100, 2: 100, 3: 100}}
      - {id: s2, name: 二小, kind: primary, students: 300, grade_students: {1: 100, 2: 100}}
      - {id: s3, name: 三中, kind: junior, grade_students: {6: 10, 7: 20}}
""",
    )
    assert district is None
    messages = [str(p) for p in report.errors]
    assert any(":6:" in m and "add up to 200, not to students (300)" in m for m in messages)
    assert any(":7:" in m and "grades [6] the school does not have" in m for m in messages)
    assert not any(":5:" in m for m in messages)


def test_a_grade_range_counts_its_grades_exactly_or_by_share(tmp_path: Path) -> None:
    district, report = load(
        tmp_path,
        """towns:
  - id: t1
    name: 一镇
    schools:
      - {id: s1, name: 一小, kind: primary, grade_students: {1: 10, 2: 20, 3: 30, 4: 40, 5: 50, 6: 60}}
      - {id: s2, name: 二小, kind: primary, students: 600}
      - {id: k1, name: 幼儿园, kind: kindergarten, students: 90}
""",
    )
    assert district is not None, report.errors
    schools = district.schools  # type: ignore[attr-defined]
    assert schools["s1"].students == 210  # the total, from the grades
    assert schools["s1"].students_in((3, 12)) == (180, True)
    assert schools["s2"].students_in((3, 12)) == (400, False)  # 4 of 6 grades' share, estimated
    assert schools["s2"].students_in(None) == (600, True)
    assert schools["k1"].students_in(None) == (0, True)  # kindergarten children do not take part


def test_a_class_is_named_as_admins_type_it_and_as_the_bot_writes_it(services: Services) -> None:
    """An admins' pass: /grant … 五年级1班, 5年级1班 and 5－1 had been answered 这所学校没有这个班级."""
    district = services.content.district
    primary, junior = district.schools["cg-p1"], district.schools["cg-j1"]
    for typed in ("5-1", "5－1", "5-1班", "五年级1班", "5年级1班", "五年级（1）班", "五年级一班"):
        assert primary.class_named(typed) == (5, 1), typed
    for typed in ("初二3班", "八年级3班", "8-3", "初二（3）班"):
        assert junior.class_named(typed) == (8, 3), typed
    for unknown in ("51", "5-9", "5年级", "初二", "7-1"):  # 7-1: a primary school has no grade 7
        assert primary.class_named(unknown) is None, unknown

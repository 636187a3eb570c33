"""The question banks: every rule of the checker, and the counts and proportions the bureau asked for."""

from __future__ import annotations

import collections
import textwrap
from pathlib import Path

import pytest

from bot.content.bundle import Content
from bot.content.questions import QType, load_questions
from bot.content.yamlfile import Report

GOOD = """\
- id: tst-001
  law: civil_code
  articles: [17]
  type: single
  stem: 多少周岁以上的自然人是成年人？
  options: [十六周岁, 十八周岁, 二十周岁, 十四周岁]
  answer: B
  explanation: 民法典规定十八周岁以上的自然人为成年人。
  evidence: 十八周岁以上的自然人为成年人。
  audience: secondary
  difficulty: 1
  tags: [年龄]
"""


def check(tmp_path: Path, content: Content, text: str, folder: str = "civil_code") -> list[str]:
    (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / folder / "t.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    report = Report()
    load_questions(tmp_path, content.laws, report)
    return [str(p) for p in report.errors]


def test_a_good_question_passes(tmp_path: Path, content: Content) -> None:
    assert check(tmp_path, content, GOOD) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("law: civil_code", "law: tax_code"), "unknown law"),
        (("articles: [17]", "articles: [9999]"), "article 9999 not in"),
        (
            ("evidence: 十八周岁以上的自然人为成年人。", "evidence: 十六周岁以上的自然人为成年人。"),
            "evidence not found verbatim",
        ),
        (("answer: B", "answer: E"), "not among options"),
        (("type: single", "type: multiple"), "multiple-choice question with one answer"),
        (("explanation: 民法典规定", "explanation: " + "很长" * 101), "explanation too long"),
        (("stem: 多少周岁", "stem: 第十七条规定多少周岁"), "article number"),
        (
            ("options: [十六周岁, 十八周岁, 二十周岁, 十四周岁]", "options: [十六周岁, 十八周岁, 以上都对]"),
            "以上都对",
        ),
    ],
)
def test_each_rule_rejects_with_file_line_and_id(tmp_path: Path, content: Content, change, problem) -> None:  # type: ignore[no-untyped-def]
    errors = check(tmp_path, content, GOOD.replace(*change))
    assert errors and all(":1: tst-001: " in e for e in errors), errors
    assert any(problem in e for e in errors), errors


def test_duplicate_ids_and_near_duplicate_stems_are_rejected(tmp_path: Path, content: Content) -> None:
    twin = GOOD.replace("多少周岁以上的自然人是成年人？", "多少周岁以上的自然人才是成年人？")
    errors = check(tmp_path, content, GOOD + GOOD + twin.replace("tst-001", "tst-002"))
    assert any(":13: tst-001: duplicate id" in e for e in errors), errors
    assert any(":25: tst-002: near-duplicate stem of tst-001" in e for e in errors), errors


def test_evidence_may_list_several_passages_each_verbatim(tmp_path: Path, content: Content) -> None:
    listed = GOOD.replace("articles: [17]", "articles: [17, 18]").replace(
        "evidence: 十八周岁以上的自然人为成年人。",
        "evidence: [十八周岁以上的自然人为成年人。, 成年人为完全民事行为能力人]",
    )
    assert check(tmp_path, content, listed) == []
    wrong = listed.replace("成年人为完全民事行为能力人", "成年人为限制民事行为能力人")
    assert any("evidence not found verbatim" in e for e in check(tmp_path, content, wrong))


def test_a_question_in_the_wrong_folder_is_rejected(tmp_path: Path, content: Content) -> None:
    assert any(
        "does not match its folder" in e for e in check(tmp_path, content, GOOD, folder="constitution")
    )


MINIMUMS = {
    "constitution": 100, "civil_code": 100, "minors_protection": 100, "juvenile_delinquency_prevention": 50,
    "education_law": 40, "teachers_law": 40, "compulsory_education": 45, "anti_telecom_fraud": 20,
    "family_education": 20, "preschool_education": 15, "personal_information": 15, "anti_drug": 10,
    "school_bus_safety": 10, "legal_publicity_education": 60, "public_security_penalties": 50,
    "minors_online_protection": 40,
}  # fmt: skip
# Laws that concern pupils of 9-11 and the primary questions each must have at least.
PRIMARY = {"anti_telecom_fraud": 8, "anti_drug": 8, "personal_information": 8, "school_bus_safety": 8,
           "minors_online_protection": 8}  # fmt: skip


def test_the_banks_hold_what_the_bureau_asked_for(content: Content) -> None:
    questions = list(content.questions.questions.values())
    per_law = collections.Counter(q.law for q in questions)
    for law, minimum in MINIMUMS.items():
        assert per_law[law] >= minimum, (law, per_law[law])
    assert len(questions) >= 760
    audiences = collections.Counter(q.audience.value for q in questions)
    assert audiences["primary"] + audiences["secondary"] >= 250
    assert audiences["staff"] >= 200
    types = collections.Counter(q.type for q in questions)
    assert types[QType.multiple] >= 0.2 * len(questions) and types[QType.judge] >= 0.2 * len(questions)
    assert {q.difficulty for q in questions} == {1, 2, 3}


def test_pupils_of_nine_to_eleven_have_questions_in_every_law_that_concerns_them(content: Content) -> None:
    primary = [q for q in content.questions.questions.values() if q.audience.value == "primary"]
    per_law = collections.Counter(q.law for q in primary)
    for law, minimum in PRIMARY.items():
        assert per_law[law] >= minimum, (law, per_law[law])
    assert sum(q.difficulty == 3 for q in primary) >= 5  # not only the easy ones


def test_questions_for_everyone_are_ones_a_primary_pupil_can_answer(content: Content) -> None:
    """`all` is drawn for a pupil of grade 1-6 twice as often as `secondary`: a grade-1 pupil's mixed
    practice opened with 收养人应当具备下列哪些条件 (difficulty 3, tagged all). Questions on state organs, court
    procedure, inheritance or what hotels and platforms must do are for `secondary` or `staff`."""
    hard = [
        q.id for q in content.questions.questions.values() if q.audience.value == "all" and q.difficulty == 3
    ]
    assert hard == []


def test_multiple_choice_cannot_be_answered_by_elimination(content: Content) -> None:
    multiple = [q for q in content.questions.questions.values() if q.type is QType.multiple]
    one_wrong = [q.id for q in multiple if len(q.options) - len(q.correct) < 2]
    assert not one_wrong, f"multiple-choice questions with a single wrong option: {one_wrong}"


def test_a_stem_that_asks_to_recall_a_number_is_warned_about_unless_intentional(
    tmp_path: Path, content: Content
) -> None:
    recall = GOOD.replace("多少周岁以上的自然人是成年人？", "民法典第几条规定了成年人的年龄？")
    folder = tmp_path / "civil_code"
    folder.mkdir()
    (folder / "t.yaml").write_text(recall, encoding="utf-8")
    report = Report()
    load_questions(tmp_path, content.laws, report)
    assert [str(p) for p in report.errors] == []
    [warning] = [str(p) for p in report.warnings]
    assert (
        warning.startswith(f"{folder / 't.yaml'}:1: warning: tst-001: the stem asks to recall")
        or "tst-001: the stem asks to recall" in warning
    )
    (folder / "t.yaml").write_text(
        recall.replace("tags: [年龄]", "tags: [年龄, intentional]"), encoding="utf-8"
    )
    report = Report()
    load_questions(tmp_path, content.laws, report)
    assert report.warnings == []


def test_the_correct_option_position_is_not_a_pattern(content: Content) -> None:
    singles = [
        q for q in content.questions.questions.values() if q.type is QType.single and len(q.options) == 4
    ]
    positions = collections.Counter(next(iter(q.correct)) for q in singles)
    for index in range(4):
        assert 0.18 <= positions[index] / len(singles) <= 0.32, positions
    judges = [q for q in content.questions.questions.values() if q.type is QType.judge]
    true_share = sum(q.answer == "对" for q in judges) / len(judges)
    assert 0.35 <= true_share <= 0.65

"""Teachers' spreadsheets become question YAML only when every row passes the bank's checks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from bot.content.bundle import Content
from bot.content.importer import COLUMNS, ImportFailed, convert, write_template, write_yaml
from bot.content.questions import Question

HEADER = [f"{zh} {key}" for key, zh, _ in COLUMNS]
GOOD = ["", "判断", "年满八周岁的孩子可以独立签订与其年龄相适应的纯获利益合同。", "", "", "", "", "", "", "对", "19",
        "可以独立实施纯获利益的民事法律行为", "八周岁以上的未成年人纯获利益的行为可以独立实施。", "中学", "2", "行为能力"]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def test_the_template_round_trips_through_xlsx(tmp_path: Path, content: Content) -> None:
    template = tmp_path / "questions.xlsx"
    write_template(template)
    book = load_workbook(template)
    assert book.sheetnames == ["questions", "说明 instructions"]
    sheet = book["questions"]
    sheet.delete_rows(2)
    sheet.append(GOOD)
    book.save(template)
    [question] = convert(template, "civil_code", content.laws, content.questions)
    assert question["id"].startswith("civ-") and question["id"] not in content.questions.questions
    assert question["type"] == "judge" and question["answer"] == "对" and "options" not in question
    target = write_yaml([question], tmp_path, "civil_code")
    [loaded] = yaml.safe_load(target.read_text(encoding="utf-8"))
    Question.model_validate(loaded)


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path: Path, content: Content) -> None:
    bad_evidence = GOOD.copy()
    bad_evidence[11] = "八周岁以上的未成年人可以随意签订任何合同"
    bad_type = GOOD.copy()
    bad_type[1] = "填空"
    bad_answer = ["", "单选", "民法典规定多少周岁以上的自然人是成年人？", "十六周岁", "十八周岁", "", "", "", "", "C", "17",
                  "十八周岁以上的自然人为成年人。", "十八周岁以上为成年人。", "全体", "1", ""]  # fmt: skip
    source = write_csv(tmp_path / "q.csv", [GOOD, bad_evidence, bad_type, bad_answer])
    with pytest.raises(ImportFailed) as failed:
        convert(source, "civil_code", content.laws, content.questions)
    problems = failed.value.problems
    assert any(p.startswith("row 3: evidence not found verbatim") for p in problems), problems
    assert any(p.startswith("row 4: 题型 type") for p in problems), problems
    assert any(p.startswith("row 5:") and "not among options" in p for p in problems), problems
    assert not any(p.startswith("row 2:") for p in problems)
    assert not list((tmp_path / "civil_code").glob("*.yaml")) if (tmp_path / "civil_code").exists() else True


def test_a_stem_already_in_the_bank_is_a_near_duplicate(tmp_path: Path, content: Content) -> None:
    existing = next(q for q in content.questions.pool("civil_code") if q.type.value == "judge")
    row = GOOD.copy()
    row[2] = existing.stem
    with pytest.raises(ImportFailed) as failed:
        convert(write_csv(tmp_path / "q.csv", [row]), "civil_code", content.laws, content.questions)
    assert any(f"near-duplicate stem of {existing.id}" in p for p in failed.value.problems)


def test_an_unknown_law_or_missing_file_is_a_clear_error(tmp_path: Path, content: Content) -> None:
    with pytest.raises(ImportFailed, match="unknown law"):
        convert(tmp_path / "x.csv", "tax_code", content.laws, content.questions)
    with pytest.raises(ImportFailed, match="cannot read"):
        convert(tmp_path / "missing.xlsx", "civil_code", content.laws, content.questions)

"""Teachers' spreadsheets become question YAML only when every row passes the bank's checks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from bot.__main__ import import_language, main
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
    [question] = convert(template, "civil_code", content.laws, content.questions, content.i18n)
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
        convert(source, "civil_code", content.laws, content.questions, content.i18n, "en")
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
        convert(
            write_csv(tmp_path / "q.csv", [row]),
            "civil_code",
            content.laws,
            content.questions,
            content.i18n,
            "en",
        )
    assert any(f"near-duplicate stem of {existing.id}" in p for p in failed.value.problems)


def test_an_unknown_law_or_missing_file_is_a_clear_error(tmp_path: Path, content: Content) -> None:
    with pytest.raises(ImportFailed, match="unknown law"):
        convert(tmp_path / "x.csv", "tax_code", content.laws, content.questions, content.i18n, "en")
    with pytest.raises(ImportFailed, match="不认识的法律「劳动法」"):
        convert(tmp_path / "x.csv", "劳动法", content.laws, content.questions, content.i18n)
    with pytest.raises(ImportFailed, match="cannot read"):
        convert(tmp_path / "missing.xlsx", "civil_code", content.laws, content.questions, content.i18n, "en")


def test_the_templates_example_row_is_skipped(tmp_path: Path, content: Content) -> None:
    template = tmp_path / "questions.xlsx"
    write_template(template)
    with pytest.raises(ImportFailed) as failed:  # the sample alone: nothing to import, not a question
        convert(template, "civil_code", content.laws, content.questions, content.i18n)
    assert failed.value.problems == ["没有找到题目行（表头行还在吗？示例行 example-… 不算）"]
    book = load_workbook(template)
    book["questions"].append(GOOD)  # the sample left in place, a real row after it
    book.save(template)
    [question] = convert(template, "civil_code", content.laws, content.questions, content.i18n)
    assert question["stem"] == GOOD[2]


def test_the_law_is_named_by_title_alias_or_slug(tmp_path: Path, content: Content) -> None:
    source = write_csv(tmp_path / "q.csv", [GOOD])
    for name in ("民法典", "中华人民共和国民法典", "民法", "《民法典》", "civil_code"):
        [question] = convert(source, name, content.laws, content.questions, content.i18n)
        assert question["law"] == "civil_code", name


def test_every_problem_of_a_row_is_reported_at_once_in_chinese_by_default(
    tmp_path: Path, content: Content
) -> None:
    row = GOOD.copy()
    row[1], row[10], row[13] = "填空", "第X条", "幼儿"  # type, article and audience all wrong
    other = GOOD.copy()
    other[13] = "大学"
    with pytest.raises(ImportFailed) as failed:
        convert(
            write_csv(tmp_path / "q.csv", [row, other]),
            "民法典",
            content.laws,
            content.questions,
            content.i18n,
        )
    assert failed.value.problems == [
        "第 2 行：题型只能填 单选、多选 或 判断（现在是「填空」）",
        "第 2 行：适用对象只能填 小学、中学、教职工 或 全体（现在是「幼儿」）",
        "第 2 行：条号「第X条」不是条文编号",
        "第 3 行：适用对象只能填 小学、中学、教职工 或 全体（现在是「大学」）",
    ]


def test_the_command_accepts_a_chinese_title_and_speaks_the_language_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    bad = GOOD.copy()
    bad[1], bad[13] = "填空", "大学"
    source = write_csv(tmp_path / "bad.csv", [bad, bad])
    assert main(["import-questions", str(source), "--law", "民法典"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["第 2 行：题型只能填 单选、多选 或 判断（现在是「填空」）",
                   "第 2 行：适用对象只能填 小学、中学、教职工 或 全体（现在是「大学」）",
                   "第 3 行：题型只能填 单选、多选 或 判断（现在是「填空」）",
                   "第 3 行：适用对象只能填 小学、中学、教职工 或 全体（现在是「大学」）", "有错误，什么都没有写入。"]  # fmt: skip
    assert main(["import-questions", str(source), "--law", "未保法", "--language", "en"]) == 1
    assert (
        capsys.readouterr().err.splitlines()[0] == 'row 2: 题型 type must be 单选, 多选 or 判断 (got "填空")'
    )
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["import-questions", str(source), "--law", "民法典"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "nothing was written"
    out = tmp_path / "out.yaml"
    good = str(write_csv(tmp_path / "q.csv", [GOOD]))
    assert main(["import-questions", good, "--law", "民法典", "--out", str(out), "--language", "zh"]) == 0
    assert "已把 1 道题写入" in capsys.readouterr().out
    [loaded] = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert loaded["law"] == "civil_code"
    assert (
        import_language("en_US.UTF-8") == "en" and import_language("C.UTF-8") == import_language("") == "zh"
    )

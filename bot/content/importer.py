"""Turn a spreadsheet teachers fill in (XLSX or CSV) into question-bank YAML, with the bank's checks.

Nothing is written when any row is wrong; every problem of every row is reported at once, as
`第 N 行：problem` (or `row N: problem` in English), in the language asked for (texts under `import:` in
content/locales; the bank's own checks speak English). Rows whose 编号 id starts with `example` (the
template's sample row) are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz

from bot.content.laws import LawLibrary, cn_to_int, squash
from bot.content.questions import NEAR_DUPLICATE, Question, QuestionBank, check_question
from bot.i18n import I18n

# (key, Chinese header, what to write) in template order
COLUMNS = [
    ("id", "编号", "可不填：留空时自动编号；以 example 开头的是示例行，不会导入"),
    ("type", "题型", "单选 / 多选 / 判断"),
    ("stem", "题干", "问题本身，不要问“第几条规定”"),
    ("A", "选项A", "判断题不填选项"),
    ("B", "选项B", ""),
    ("C", "选项C", ""),
    ("D", "选项D", ""),
    ("E", "选项E", ""),
    ("F", "选项F", ""),
    ("answer", "答案", "单选填一个字母，多选填多个字母如 ACD，判断填 对 或 错"),
    ("articles", "条号", "依据的条文，如 1188 或 第二十条；多条用逗号分隔"),
    ("evidence", "依据原文", "从所引条文中逐字摘抄、能证明答案的一段话；多段用 | 分隔"),
    ("explanation", "解析", "用自己的话解释，200 字以内"),
    ("audience", "适用对象", "小学 / 中学 / 教职工 / 全体"),
    ("difficulty", "难度", "1 易 / 2 中 / 3 难"),
    ("tags", "标签", "用逗号分隔，可不填"),
]
TYPES = {"单选": "single", "单选题": "single", "多选": "multiple", "多选题": "multiple", "判断": "judge",
         "判断题": "judge", "single": "single", "multiple": "multiple", "judge": "judge"}  # fmt: skip
AUDIENCES = {"小学": "primary", "小学生": "primary", "中学": "secondary", "中学生": "secondary", "教职工": "staff",
             "教师": "staff", "全体": "all", "所有人": "all", "primary": "primary", "secondary": "secondary",
             "staff": "staff", "all": "all"}  # fmt: skip
_HEADERS = {key: key for key, _, _ in COLUMNS} | {zh: key for key, zh, _ in COLUMNS}
_SPLIT = re.compile(r"[,，、;；\s]+")
EXAMPLE = "example"  # rows whose id starts with this are samples, never imported


class ImportFailed(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def write_template(path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("questions")
    sheet.write_row(0, 0, [f"{zh} {key}" for key, zh, _ in COLUMNS], bold)
    sheet.write_row(1, 0, [f"{EXAMPLE}-1", "单选", "多少周岁以上的自然人是成年人？", "十六周岁", "十八周岁", "二十周岁", "十四周岁", "",
                           "", "B", "17", "十八周岁以上的自然人为成年人。", "民法典规定，年满十八周岁就是成年人。", "中学", 1, "年龄"])  # fmt: skip
    notes = book.add_worksheet("说明 instructions")
    rows: list[list[str]] = [["列", "怎么填"], *([f"{zh} {key}", hint] for key, zh, hint in COLUMNS), []]
    rows.append(
        ["导入", "python -m bot import-questions 本文件.xlsx --law 民法典（法律名称、简称或代号 civil_code）"]
    )
    rows.append(
        [
            "提示",
            "第 2 行是示例（编号 example-1），导入时跳过；任何一行有错都不会写入，按提示逐行修改后重新导入。",
        ]
    )
    for r, row in enumerate(rows):
        notes.write_row(r, 0, row)
    book.close()


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column key: text}) for every non-empty row after the header."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    else:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            table = [["" if v is None else str(v) for v in row] for row in rows]
        finally:
            book.close()
    if not table:
        return
    keys = [_header_key(h) for h in table[0]]
    for number, values in enumerate(table[1:], start=2):
        row = {k: str(v).strip() for k, v in zip(keys, values, strict=False) if k and str(v).strip()}
        if row:
            yield number, row


def _header_key(header: Any) -> str | None:
    text = str(header or "").strip()
    for part in [text, *text.split()]:
        if part in _HEADERS:
            return _HEADERS[part]
    return None


def law_slug(laws: LawLibrary, name: str) -> str | None:
    """The slug of the law `name` means: its slug, title (with or without 中华人民共和国) or an alias from
    content/law/aliases.yaml; exactly, since questions must not land under the wrong law."""
    name = squash(name).removeprefix("《").removesuffix("》")
    for law in laws.laws.values():
        if name in (law.slug, law.title, law.title.removeprefix("中华人民共和国"), *law.aliases):
            return law.slug
    return None


def convert(
    path: Path, law: str, laws: LawLibrary, bank: QuestionBank, i18n: I18n, lang: str = "zh"
) -> list[dict[str, Any]]:
    """Validated questions as YAML-ready mappings; raises ImportFailed listing every problem of every row.
    `law` is a slug, title or alias; problems are in `lang`."""

    def t(key: str, **values: Any) -> str:
        return i18n.t(lang, f"import.{key}", **values)

    slug = law_slug(laws, law)
    if slug is None:
        names = "、".join(f"{x.title.removeprefix('中华人民共和国')} ({x.slug})" for x in laws.laws.values())
        raise ImportFailed([t("unknown_law", law=law, laws=names)])
    problems: list[str] = []
    prefix, next_number = _next_id(bank, slug)
    out: list[dict[str, Any]] = []
    stems = [(q.id, q.stem) for q in bank.questions.values()]
    seen_ids = set(bank.questions)
    try:
        rows = list(read_rows(path))
    except (OSError, ValueError, KeyError, csv.Error) as exc:  # missing file, not a spreadsheet, bad encoding
        raise ImportFailed([t("cannot_read", path=path, error=exc)]) from None
    rows = [(number, row) for number, row in rows if not row.get("id", "").lower().startswith(EXAMPLE)]
    for number, row in rows:
        data, issues = _question_data(row, slug, t)
        if issues:
            problems += [t("row", n=number, problem=issue) for issue in issues]
            continue
        if not data.get("id"):
            data["id"] = f"{prefix}-{next_number:03d}"
            next_number += 1
        try:
            question = Question.model_validate(data)
        except ValidationError as exc:
            problems += [t("row", n=number, problem=f"{'.'.join(map(str, e['loc'])) or 'question'}: {str(e['msg']).removeprefix('Value error, ')}")
                         for e in exc.errors()]  # fmt: skip
            continue
        issues = check_question(question, laws, slug)
        if question.id in seen_ids:
            issues.append(t("id_used", id=question.id))
        issues += [t("near_duplicate", id=other) for other, stem in stems
                   if fuzz.ratio(stem, question.stem) >= NEAR_DUPLICATE]  # fmt: skip
        problems += [t("row", n=number, problem=issue) for issue in issues]
        seen_ids.add(question.id)
        stems.append((question.id, question.stem))
        out.append(_as_yaml(question))
    if problems:
        raise ImportFailed(problems)
    if not out:
        raise ImportFailed([t("no_rows")])
    return out


def _question_data(row: dict[str, str], law: str, t: Any) -> tuple[dict[str, Any], list[str]]:
    """The row as question data, and every problem of its columns (not just the first)."""
    problems: list[str] = []
    qtype = TYPES.get(row.get("type", ""))
    if qtype is None:
        problems.append(t("bad_type", got=row.get("type", "")))
    audience = AUDIENCES.get(row.get("audience", ""))
    if audience is None:
        problems.append(t("bad_audience", got=row.get("audience", "")))
    articles = []
    for part in _SPLIT.split(row.get("articles", "")):
        if part:
            try:
                articles.append(cn_to_int(part.removeprefix("第").removesuffix("条")))
            except ValueError:
                problems.append(t("bad_article", got=part))
    options = [row[c] for c in "ABCDEF" if row.get(c)]
    difficulty = row.get("difficulty", "")
    data = {
        "id": row.get("id", ""), "law": law, "articles": articles, "type": qtype, "stem": row.get("stem", ""),
        "options": options if qtype != "judge" else [], "answer": row.get("answer", "").replace(" ", ""),
        "explanation": row.get("explanation", ""),
        "evidence": [p.strip() for p in row.get("evidence", "").split("|") if p.strip()],
        "audience": audience, "difficulty": int(float(difficulty)) if difficulty.replace(".", "").isdigit() else 0,
        "tags": [tag for tag in _SPLIT.split(row.get("tags", "")) if tag],
    }  # fmt: skip
    return data, problems


def _next_id(bank: QuestionBank, law: str) -> tuple[str, int]:
    ids = [q.id for q in bank.pool(law)]
    if not ids:
        return re.sub(r"[^a-z]", "", law)[:3] or "q", 1
    prefix = max({i.split("-")[0] for i in ids}, key=lambda p: sum(i.startswith(p + "-") for i in ids))
    return prefix, max(int(i.split("-")[1]) for i in ids if i.startswith(prefix + "-")) + 1


def _as_yaml(question: Question) -> dict[str, Any]:
    data = question.model_dump(mode="json")
    data["articles"] = list(question.articles)
    data["evidence"] = question.evidence[0] if len(question.evidence) == 1 else list(question.evidence)
    if question.type.value == "judge":
        data.pop("options")
    else:
        data["options"] = list(question.options)
    data["tags"] = list(question.tags)
    return data


def write_yaml(questions: list[dict[str, Any]], folder: Path, law: str, out: Path | None = None) -> Path:
    target = out or folder / law / f"imported-{dt.date.today():%Y%m%d}.yaml"
    if target.exists():
        raise ImportFailed([f"{target} exists already; choose another --out"])
    target.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Imported from a spreadsheet by `python -m bot import-questions`; checked like every bank file.\n"
    )
    target.write_text(
        header + yaml.safe_dump(questions, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8"
    )
    return target

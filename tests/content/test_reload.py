"""Content loaded again by /reload: an FAQ file whose text is unchanged is not parsed again, nor a part
(the laws, the question bank …) whose files and inputs are what they were; a changed or broken one is,
every time."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import bot.content.faq as faq_module
from bot.config import ROOT
from bot.content.bundle import load_content


def test_only_changed_faq_files_are_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    parsed: list[str] = []
    read_yaml = faq_module.read_yaml

    def counting(path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(path.name)
        return read_yaml(path, *args, **kwargs)

    monkeypatch.setattr(faq_module, "read_yaml", counting)
    today = dt.date(2026, 12, 3)
    first, _ = load_content(content, ROOT / "quizzes", today=today)
    assert first is not None and "primary.yaml" in parsed and "junior.yaml" in parsed
    primary = content / "faq" / "primary.yaml"
    primary.write_text(
        primary.read_text(encoding="utf-8").replace("孩子多大可以上小学？", "孩子几岁可以上小学？")
    )
    parsed.clear()
    second, _ = load_content(content, ROOT / "quizzes", today=today)
    assert second is not None and "primary.yaml" in parsed and "junior.yaml" not in parsed
    assert second.faq.entries["primary-age"].question == "孩子几岁可以上小学？"
    assert second.faq.entries["junior-how"] == first.faq.entries["junior-how"]
    # a broken file is reported at every load, never taken from what was read before
    primary.write_text(primary.read_text(encoding="utf-8").replace("- id: primary-age\n", "- id: [broken\n"))
    for _ in range(2):
        broken, report = load_content(content, ROOT / "quizzes", today=today)
        assert broken is None and any("primary.yaml" in str(p) for p in report.errors)


def test_parts_whose_files_are_unchanged_are_not_loaded_again(tmp_path: Path) -> None:
    """/reload had loaded the laws and checked every question against them each time, three quarters of
    its time at the shipped size, when a curator had changed one FAQ file. A part is loaded again when its
    files change, or what it is checked against; its warnings are said every time."""
    content, quizzes = tmp_path / "content", tmp_path / "quizzes"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "quizzes", quizzes)
    bank = quizzes / "civil_code" / "capacity.yaml"
    bank.write_text(
        bank.read_text(encoding="utf-8").replace("满多少周岁的人就是成年人？", "第几条规定了成年人？")
    )
    today = dt.date(2026, 12, 3)
    first, report = load_content(content, quizzes, today=today)
    assert first is not None and any("recall an article number" in str(p) for p in report.warnings)
    again, report = load_content(content, quizzes, today=today)
    assert again is not None and again.laws is first.laws and again.questions is first.questions
    assert any("recall an article number" in str(p) for p in report.warnings)
    bank.write_text(bank.read_text(encoding="utf-8").replace("第几条规定了成年人？", "多大算成年人？"))
    changed, report = load_content(content, quizzes, today=today)
    assert changed is not None and changed.laws is first.laws and changed.questions is not first.questions
    assert not any("recall an article number" in str(p) for p in report.warnings)
    assert any(q.stem.endswith("多大算成年人？") for q in changed.questions.questions.values())
    topics = content / "law" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n")
    relaw, _ = load_content(content, quizzes, today=today)
    assert relaw is not None and relaw.laws is not first.laws and relaw.questions is not changed.questions
    assert load_content(content, quizzes, today=today + dt.timedelta(days=1))[0].laws is not relaw.laws  # type: ignore[union-attr]

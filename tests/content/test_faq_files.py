"""FAQ files read again by /reload: a file whose text is unchanged is not parsed again; a changed or
broken one is, every time."""

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

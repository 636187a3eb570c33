"""Replacing a statute's text: `law-diff` lists the questions whose cited articles changed or vanished,
or whose evidence the new text no longer holds; and a text not confirmed in force for a year is warned
about."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.__main__ import main
from bot.config import ROOT
from bot.content.laws import load_laws
from bot.content.yamlfile import Report


def new_teachers_law(tmp_path: Path) -> Path:
    """教师法 with 第三十七条 reworded and 第四十三条 (the last) gone."""
    text = (ROOT / "content" / "law" / "teachers_law.md").read_text(encoding="utf-8")
    text = text.replace("第三十七条 教师有下列情形之一的", "第三十七条 教师有下列情形之一，情节严重的")
    path = tmp_path / "teachers_law.md"
    path.write_text(text[: text.index("第四十三条")], encoding="utf-8")
    return path


def test_law_diff_lists_the_questions_to_read_again(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    assert main(["law-diff", "teachers_law", str(new_teachers_law(tmp_path))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("teachers_law: 1 articles changed, 1 gone;")
    cited_37 = {line.split(": ")[1] for line in out[1:] if "第37条 changed" in line}
    assert {"tea-036", "tea-037"} <= cited_37  # both rest on 第三十七条
    assert all(line.startswith("quizzes/teachers_law/") for line in out[1:])  # file:line of each


def test_an_unchanged_text_affects_nothing(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    assert main(["law-diff", "teachers_law", str(ROOT / "content" / "law" / "teachers_law.md")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "teachers_law: 0 articles changed, 0 gone; 0 questions to read again"
    ]


def test_a_text_not_checked_for_a_year_is_warned_about() -> None:
    folder = ROOT / "content" / "law"
    fresh, stale = Report(), Report()
    library = load_laws(folder, fresh, today=dt.date(2026, 12, 2))
    assert library.get("teachers_law").checked == dt.date(2026, 5, 16)  # type: ignore[union-attr]
    assert not [w for w in fresh.warnings if "over a year ago" in str(w)]
    load_laws(folder, stale, today=dt.date(2027, 6, 1))
    warned = [str(w) for w in stale.warnings if "over a year ago" in str(w)]
    assert len(warned) == 16 and any("teachers_law: checked on 2026-05-16" in w for w in warned)

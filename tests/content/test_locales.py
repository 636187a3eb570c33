"""Every text exists in both languages with the same placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.config import ROOT
from bot.content.bundle import load_content
from bot.content.yamlfile import Report
from bot.i18n import load_i18n


def test_shipped_locales_agree() -> None:
    report = Report()
    assert load_i18n(ROOT / "content" / "locales", "zh", report) is not None, report.errors


def test_a_missing_key_or_placeholder_is_reported(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content" / "locales", tmp_path / "locales")
    en = tmp_path / "locales" / "en.yaml"
    text = en.read_text(encoding="utf-8")
    text = text.replace('  class_n: "Class {n}"\n', '  class_n: "Class"\n').replace("  cancel: Cancel\n", "")
    en.write_text(text, encoding="utf-8")
    report = Report()
    assert load_i18n(tmp_path / "locales", "zh", report) is None
    messages = [str(p) for p in report.errors]
    assert any("delete.cancel" in m for m in messages)
    assert any("reg.class_n" in m and "placeholders" in m for m in messages)


def test_a_stray_brace_is_reported_at_its_line(tmp_path: Path) -> None:
    """A robustness pass: {{name} in a locale had stopped `check` and /reload with a ValueError."""
    shutil.copytree(ROOT / "content" / "locales", tmp_path / "locales")
    zh = tmp_path / "locales" / "zh.yaml"
    text = zh.read_text(encoding="utf-8")
    line = text[: text.index("  class_n: ")].count("\n") + 1
    zh.write_text(text.replace('  class_n: "{n}班"', '  class_n: "{{n}班"', 1), encoding="utf-8")
    report = Report()
    assert load_i18n(tmp_path / "locales", "zh", report) is None
    assert [(p.line, "reg.class_n" in p.message) for p in report.errors] == [(line, True)], report.errors


def test_a_text_written_twice_is_refused_at_its_second_line(tmp_path: Path) -> None:
    """PyYAML would keep the second silently, replacing a text (or a button label) nobody meant to change."""
    shutil.copytree(ROOT / "content" / "locales", tmp_path / "locales")
    zh = tmp_path / "locales" / "zh.yaml"
    lines = zh.read_text(encoding="utf-8").splitlines(keepends=True)
    top_keys = [i for i, line in enumerate(lines) if line[:1].isalpha() and line.rstrip().endswith(":")]
    first = top_keys[0]
    child = next(line for line in lines[first + 1 :] if line.startswith("  ") and ":" in line)
    lines.insert(first + 1, child)  # the block's first text, once more at its top
    zh.write_text("".join(lines), encoding="utf-8")

    report = Report()
    assert load_i18n(tmp_path / "locales", "zh", report) is None
    key = child.strip().split(":")[0]
    assert [str(p) for p in report.errors] == [
        f"{tmp_path / 'locales' / 'zh.yaml'}:{lines.index(child, first + 2) + 1}: YAML syntax error: "
        f"duplicate key {key!r} (it is already set above)"
    ]


def test_a_generic_name_for_no_site_fact_is_reported(tmp_path: Path) -> None:
    """site_generic names a site.yaml fact while it is a sample (区教育局 for the bureau): a misspelt key
    would never be used."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for name in ("zh", "en"):
        path = tmp_path / "content" / "locales" / f"{name}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("  bureau: ", "  buraeu: "), encoding="utf-8"
        )
    content, report = load_content(tmp_path / "content", ROOT / "quizzes")
    assert content is None and any("site_generic.buraeu" in str(p) for p in report.errors)

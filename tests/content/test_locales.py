"""Every text exists in both languages with the same placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.config import ROOT
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

"""User-facing text from `content/locales/<lang>.yaml` (zh first, en second)."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from bot.content.yamlfile import Report, display_path, line_at, read_yaml

LANGUAGES = ("zh", "en")


def _flatten(data: Any, lines: dict[str, int], prefix: str = "") -> dict[str, str]:
    """Texts by dotted key (`reg.class_n`); fills in `lines` with the line of every key, sections too."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            lines[f"{prefix}{key}"] = line_at(data, [key])
            out.update(_flatten(value, lines, f"{prefix}{key}."))
    else:
        out[prefix.rstrip(".")] = str(data)
    return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class I18n:
    def __init__(self, catalogs: dict[str, dict[str, str]], default: str = "zh") -> None:
        self.catalogs = catalogs
        self.default = default

    def language_for(self, telegram_code: str | None) -> str:
        """The catalog for a Telegram `language_code` (zh-hans → zh, en-US → en, else default)."""
        code = (telegram_code or "").lower().split("-")[0]
        return code if code in self.catalogs else self.default

    def t(self, lang: str | None, key: str, **values: Any) -> str:
        catalog = self.catalogs.get(lang or self.default) or self.catalogs[self.default]
        text = catalog.get(key) or self.catalogs[self.default].get(key)
        if text is None:
            raise KeyError(f"no text for {key!r}")
        return text.format(**values) if values else text

    def section(self, lang: str | None, prefix: str) -> dict[str, str]:
        """The texts under `prefix` (site_generic → {"bureau": …}), the default language's where `lang`
        has none."""
        start = prefix + "."
        catalogs = [self.catalogs[self.default], self.catalogs.get(lang or self.default, {})]
        return {key[len(start) :]: text for catalog in catalogs for key, text in catalog.items()
                if key.startswith(start)}  # fmt: skip


def _line_near(lines: dict[str, int], key: str) -> int:
    """The line of `key`, else of its closest section that exists (a missing key belongs there)."""
    parts = key.split(".")
    return next((lines[p] for n in range(len(parts), 0, -1) if (p := ".".join(parts[:n])) in lines), 1)


def load_i18n(folder: Path, default: str, report: Report) -> I18n | None:
    """Both catalogs, or None when a locale file has a problem (those of other files do not count)."""
    start = report.mark()
    catalogs: dict[str, dict[str, str]] = {}
    lines: dict[str, dict[str, int]] = {}
    for lang in LANGUAGES:
        path = folder / f"{lang}.yaml"
        data = read_yaml(path, report)
        if data is None:
            continue
        if not isinstance(data, dict):
            report.error(display_path(path), 1, "a locale file is a mapping of keys to texts")
            continue
        lines[lang] = {}
        catalogs[lang] = _flatten(data, lines[lang])
    if len(catalogs) != len(LANGUAGES):
        return None
    for (
        lang,
        catalog,
    ) in catalogs.items():  # a stray brace ({{name}) had stopped check and /reload with a traceback
        for key, text in catalog.items():
            try:
                placeholders(text)
            except ValueError as exc:
                report.error(
                    display_path(folder / f"{lang}.yaml"),
                    lines[lang][key],
                    f"{key}: {exc} (write {{{{ for a brace)",
                )
    if not report.clean_since(start):
        return None
    base_lang, base = LANGUAGES[0], catalogs[LANGUAGES[0]]
    for lang in LANGUAGES[1:]:
        other, where = catalogs[lang], display_path(folder / f"{lang}.yaml")
        for key in sorted(base.keys() - other.keys()):
            report.error(
                where, _line_near(lines[lang], key), f"missing key {key!r} (present in {base_lang}.yaml)"
            )
        for key in sorted(other.keys() - base.keys()):
            report.error(where, lines[lang][key], f"key {key!r} is not in {base_lang}.yaml")
        for key in sorted(base.keys() & other.keys()):
            if placeholders(base[key]) != placeholders(other[key]):
                report.error(
                    where,
                    lines[lang][key],
                    f"{key}: placeholders {sorted(placeholders(other[key]))} differ from "
                    f"{base_lang}.yaml {sorted(placeholders(base[key]))}",
                )
    return I18n(catalogs, default) if report.clean_since(start) else None

"""Append curator-approved wordings to an FAQ entry's `alternates:` in its YAML file, keeping the rest
of the file (comments, order, formatting) exactly as it was. Only `python -m bot faq export-learned`
writes: the running bot keeps the wordings in the database."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ITEM = re.compile(r"^(\s*)- ")


def _quoted(text: str) -> str:
    return yaml.safe_dump([text], allow_unicode=True, width=10_000).strip()[2:]


def add_alternates(folder: Path, entry_id: str, texts: list[str]) -> tuple[Path, int] | None:
    """Write `texts` under the entry's alternates, those not there yet; returns the entry's file and how
    many were added, or None when no entry with an `alternates:` list has this id."""
    id_line = re.compile(rf"^\s*-\s+id:\s*['\"]?{re.escape(entry_id)}['\"]?\s*$")
    for path in sorted(folder.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines) if id_line.match(line)), None)
        if start is None:
            continue
        header = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "alternates:"), None)
        if header is None:
            return None
        last, indent = header, None
        for i in range(header + 1, len(lines)):
            match = ITEM.match(lines[i])
            if match is None:
                break
            last, indent = i, match.group(1)
        indent = (
            indent if indent is not None else " " * (len(lines[header]) - len(lines[header].lstrip()) + 2)
        )
        existing = {line.strip()[2:].strip("'\"") for line in lines[header + 1 : last + 1]}
        new = [f"{indent}- {_quoted(t)}\n" for t in dict.fromkeys(texts) if t not in existing]
        if new:
            lines[last + 1 : last + 1] = new
            path.write_text("".join(lines), encoding="utf-8")
        return path, len(new)
    return None

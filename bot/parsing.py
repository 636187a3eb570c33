"""Reading numbers from what users send (command arguments, callback data, a grade typed during
registration): ASCII digits only.

`str.isdigit()` accepts "²" and "١٢", which `int()` then refuses or reads differently, so nothing here
uses it; a number too large for any id here is refused before `int()` sees it."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,13}")


def whole_number(text: str, low: int = 0, high: int = 10**12) -> int | None:
    """`text` as an int within [low, high], or None."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


# Chinese numerals as parents and pupils type them before 月, 岁, 年级 or 班 (九月, 三年级, 两岁).
NUMERALS = {n: str(i) for i, n in enumerate("一二三四五六七八九十", start=1)} | {
    "两": "2",
    "十一": "11",
    "十二": "12",
}
_CHOICE = re.compile(r"(?:grade|class)?([0-9]{1,2}|[一二两三四五六七八九十]|十[一二])(?:年级|班)?")


def choice_named(text: str, labels: dict[int, str]) -> int | None:
    """Which of `labels` (a number → its button's label) the text names: the label or a part of it in
    brackets (七年级（初一）: 七年级, 初一), or its number in digits or Chinese numerals, with 年级 or 班 after it
    or not (3, 3年级, 三班, Grade 3); None for none of them."""
    typed = "".join(text.split()).lower()
    for number, label in labels.items():
        if typed in {part.lower().replace(" ", "") for part in re.split(r"[（）()]", label) if part}:
            return number
    found = _CHOICE.fullmatch(typed)
    if found is None:
        return None
    number = int(NUMERALS.get(found.group(1), found.group(1)))
    return number if number in labels else None

"""Reading numbers from what users send (command arguments, callback data): ASCII digits only.

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

"""Every parser of numbers that users send refuses Unicode digits, huge numbers and empty strings
(str.isdigit() accepts '²', which int() then refuses: that crashed callbacks, /grant and /broadcast)."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.content.laws import cn_to_int
from bot.parsing import whole_number
from bot.services.broadcast import BroadcastService
from bot.services.errors import Refused
from bot.services.pacing import BulkBudget

BAD = ["", " ", "²", "١٢", "１２", "1²", "-1", "+1", "1.0", "1e3", "0x10", "9" * 14, "一"]


@pytest.mark.parametrize("text", BAD)
def test_whole_number_refuses(text: str) -> None:
    assert whole_number(text) is None


def test_whole_number_reads_ascii_digits_within_bounds() -> None:
    assert whole_number("0") == 0 and whole_number("0042") == 42 and whole_number("12", 1, 12) == 12
    assert whole_number("13", 1, 12) is None and whole_number("0", 1) is None


@pytest.mark.parametrize("text", BAD)
def test_callbacks_and_audiences_refuse(text: str, content) -> None:  # type: ignore[no-untyped-def]
    assert callbacks.parse(f"law:art:constitution:{text}") is None
    service = BroadcastService(content.district, BulkBudget(25))
    with pytest.raises(Refused):
        service.check_audience(f"grade.{text}")


@pytest.mark.parametrize("text", ["²", "1²", ""])
def test_article_numbers_in_law_lookups_refuse_what_is_no_number(text: str) -> None:
    with pytest.raises(ValueError):
        cn_to_int(text)

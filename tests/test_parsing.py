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


def test_a_typed_grade_or_class_is_read_as_its_button() -> None:
    from bot.parsing import choice_named

    grades = {3: "三年级", 7: "七年级（初一）", 10: "高一"}
    for typed, grade in (("三年级", 3), ("3年级", 3), ("3", 3), ("初一", 7), ("七年级", 7), ("Grade 7", 7),
                         ("高一", 10), ("十年级", 10)):  # fmt: skip
        assert choice_named(typed, grades) == grade, typed
    for typed in ("四年级", "三年极", "²", "３", "13"):  # not a grade of the school, a typo, no ASCII digits
        assert choice_named(typed, grades) is None, typed
    assert choice_named("三班", {n: f"{n}班" for n in range(1, 9)}) == 3

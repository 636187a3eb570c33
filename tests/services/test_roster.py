"""A class roster is numbers only: anything that could be a name refuses the whole file."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from bot.services.errors import Refused
from bot.services.roster import parse_roster


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_numbers_from_a_workbook_and_a_csv() -> None:
    assert parse_roster("5-1.xlsx", xlsx([["学号"], [20230101], [20230102], [20230101]])) == [
        "20230101",
        "20230102",
    ]
    assert parse_roster("5-1.csv", "学号\r\n0101\r\n0102\r\n\r\n".encode("gb18030")) == ["0101", "0102"]


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("5-1.xlsx", xlsx([["学号", "姓名"], [1, "张三"]]), "roster.not_numbers"),
        ("5-1.xlsx", xlsx([["学号"], [1], ["李四"]]), "roster.not_numbers"),
        ("5-1.csv", b"name\n1\n", "roster.not_numbers"),
        ("5-1.csv", b"1,Zhang San\n", "roster.not_numbers"),
        ("5-1.csv", b"\n\n", "roster.empty"),
        ("5-1.pdf", b"%PDF", "roster.bad_type"),
        ("5-1.xlsx", b"not a workbook", "roster.bad_type"),
        ("5-1.csv", b"1\n" * 120_000, "roster.too_big"),
    ],
)
def test_anything_but_numbers_is_refused(name: str, data: bytes, key: str) -> None:
    with pytest.raises(Refused) as refused:
        parse_roster(name, data)
    assert refused.value.key == key
    assert all("张三" not in str(v) and "李四" not in str(v) for v in refused.value.values.values())

"""A class's 学号 list from an uploaded XLSX or CSV: numbers only. A file with anything that could be a
name (a 姓名 column, letters, Chinese characters) is refused whole, so no name is ever stored."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from bot.services.errors import Refused

MAX_BYTES = 200_000
MAX_NUMBERS = 300  # a class, with room to spare
NUMBER = re.compile(r"[0-9]{1,20}")
# the one header a numbers-only list may have
HEADERS = {"学号", "序号学号", "number", "no", "no.", "id", "student number", "学籍号", "编号", "工号"}


def parse_roster(file_name: str, data: bytes) -> list[str]:
    """The distinct numbers in the file, in order; refused when it is not a numbers-only list."""
    if len(data) > MAX_BYTES:
        raise Refused("roster.too_big")
    name = file_name.lower()
    if name.endswith(".xlsx"):
        cells = list(_xlsx_cells(data))
    elif name.endswith((".csv", ".txt")):
        cells = list(_csv_cells(data))
    else:
        raise Refused("roster.bad_type")
    numbers: list[str] = []
    for row, column, value in cells:
        text = value.strip()
        if text.endswith(".0") and NUMBER.fullmatch(text[:-2]):  # a spreadsheet's number as a float
            text = text[:-2]
        if not text:
            continue
        if NUMBER.fullmatch(text):
            numbers.append(text)
        elif row == 1 and text.lower() in HEADERS:
            continue
        else:  # say where, never what: the cell may hold a name
            raise Refused("roster.not_numbers", row=row, column=column)
    distinct = list(dict.fromkeys(numbers))
    if not distinct:
        raise Refused("roster.empty")
    if len(distinct) > MAX_NUMBERS:
        raise Refused("roster.too_many", n=MAX_NUMBERS)
    return distinct


def _csv_cells(data: bytes) -> Iterator[tuple[int, int, str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused("roster.bad_type")
    for r, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for c, value in enumerate(row, start=1):
            yield r, c, value


def _xlsx_cells(data: bytes) -> Iterator[tuple[int, int, str]]:
    from openpyxl import load_workbook  # only for uploads: not imported with the service

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a file that is not a workbook, whatever openpyxl makes of it
        raise Refused("roster.bad_type") from exc
    try:
        for sheet in book.worksheets:
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    if value is not None:
                        yield r, c, str(value)
    finally:
        book.close()

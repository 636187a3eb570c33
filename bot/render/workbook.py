"""The /export files: an XLSX workbook (openpyxl's write-only mode, which streams rows to disk instead of
keeping a cell object per value) and a zip of the same sheets as CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain import Sheet

PERCENT = "0.0%"
WIDTH_SAMPLE = 200  # rows looked at to size the columns
MAX_WIDTH = 60


def _width(value: Any) -> int:
    """Display width in characters: CJK characters count twice."""
    text = (
        ""
        if value is None
        else value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, datetime)
        else str(value)
    )
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def widths(sheet: Sheet) -> list[int]:
    sample: list[Sequence[Any]] = [sheet.header, *sheet.rows[:WIDTH_SAMPLE]]
    columns = max((len(r) for r in sample), default=0)
    return [
        min(MAX_WIDTH, max(6, 2 + max(_width(r[i]) if i < len(r) else 0 for r in sample)))
        for i in range(columns)
    ]


def workbook(sheets: list[Sheet]) -> tuple[bytes, bytes]:
    """(XLSX workbook, zip of the same sheets as CSV, each with a BOM so that Excel reads it as UTF-8).
    In the workbook, the header row is bold and frozen, columns are as wide as their contents, and rates
    are percentages with one decimal."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        for i, width in enumerate(widths(sheet), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        header = []
        for value in sheet.header:
            cell = WriteOnlyCell(ws, value=value)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        if not sheet.percent:
            for row in sheet.rows:
                ws.append(row)
            continue
        for row in sheet.rows:
            cells: list[Any] = list(row)
            for i in sheet.percent:
                if i < len(cells) and isinstance(cells[i], float):
                    cell = WriteOnlyCell(ws, value=cells[i])
                    cell.number_format = PERCENT
                    cells[i] = cell
            ws.append(cells)
    xlsx = io.BytesIO()
    book.save(xlsx)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for sheet in sheets:  # streamed into the zip: a province's participants never sit in memory as text
            with zf.open(f"{sheet.key}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")  # with the BOM Excel wants
                writer = csv.writer(text)
                writer.writerow(sheet.header)
                writer.writerows(sheet.rows)
                text.flush()
                text.detach()
    return xlsx.getvalue(), archive.getvalue()

"""The /export files: an XLSX workbook and a zip of the same sheets as CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from bot.domain import Sheet
from bot.numbers import percent

PERCENT = "0.0%"
DATE = "yyyy-mm-dd hh:mm"
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
    sample: list[Sequence[Any]] = [sheet.header, *islice(sheet.rows, WIDTH_SAMPLE)]
    columns = max((len(r) for r in sample), default=0)
    return [
        min(MAX_WIDTH, max(6, 2 + max(_width(r[i]) if i < len(r) else 0 for r in sample)))
        for i in range(columns)
    ]


def _rates_in(sheet: Sheet, n: int, row: Sequence[Any]) -> list[int]:
    """The columns of the sheet's `n`th row that hold rates: its rate columns, and the figure of a row that
    is one (a summary's figures go down the page), where they hold a number."""
    columns = [1, *sorted(sheet.percent)] if n in sheet.percent_rows else sorted(sheet.percent)
    return [i for i in columns if i < len(row) and isinstance(row[i], float)]


def workbook(sheets: list[Sheet]) -> tuple[bytes, bytes]:
    """(XLSX workbook, zip of the same sheets as CSV, each with a BOM so that Excel reads it as UTF-8).
    In the workbook, the header row is bold and frozen, columns are as wide as their contents, rates
    are percentages with one decimal and times are dates.

    Written with XlsxWriter in its constant-memory mode: each row goes to disk as it is written, and a
    cell costs a little over half of what openpyxl's write-only mode took (province-scale export:
    4 million cells; benchmarks/stats.py). Text is always text: nothing a user wrote (a display name,
    a question) is turned into a formula or a link."""
    import xlsxwriter

    xlsx = io.BytesIO()
    book = xlsxwriter.Workbook(xlsx, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "default_date_format": DATE,
    })  # fmt: skip
    bold = book.add_format({"bold": True})
    as_percent = book.add_format({"num_format": PERCENT})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.title[:31])
        for i, width in enumerate(widths(sheet)):
            ws.set_column(i, i, width)
        ws.freeze_panes(1, 0)
        ws.write_row(0, 0, sheet.header, bold)
        for r, row in enumerate(sheet.rows, start=1):
            ws.write_row(r, 0, row)
            for i in _rates_in(sheet, r - 1, row):  # written again, as a percentage
                ws.write_number(r, i, row[i], as_percent)
    book.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for sheet in sheets:  # streamed into the zip: a province's participants never sit in memory as text
            with zf.open(f"{sheet.key}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")  # with the BOM Excel wants
                writer = csv.writer(text)
                writer.writerow(sheet.header)
                for n, row in enumerate(sheet.rows):  # rates as the workbook shows them (66.7%), not 0.6666…
                    if rates := _rates_in(sheet, n, row):
                        row = [percent(value) if i in rates else value for i, value in enumerate(row)]
                    writer.writerow(row)
                text.flush()
                text.detach()
    return xlsx.getvalue(), archive.getvalue()

"""The /export files: an XLSX workbook (openpyxl, write-only mode) and a zip of the same tables as CSV."""

from __future__ import annotations

import csv
import io
import zipfile

from bot.domain import Tables


def workbook(tables: Tables) -> tuple[bytes, bytes]:
    """(XLSX workbook, zip of the same tables as CSV, each with a BOM so that Excel reads it as UTF-8)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    xlsx = io.BytesIO()
    book.save(xlsx)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in tables.items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            zf.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return xlsx.getvalue(), archive.getvalue()

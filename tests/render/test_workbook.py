"""The export files as an admin opens them: every row of a large sheet in order, in the workbook and in
the CSV archive, after the trip to the worker process that writes them; times as dates; and text that
looks like a formula or a link stays text."""

from __future__ import annotations

import csv
import io
import pickle
import zipfile
from datetime import datetime, timedelta

from openpyxl import load_workbook

from bot.domain import PackedRows, Sheet
from bot.render.workbook import workbook
from bot.workers import Workers


def people(n: int) -> list[tuple[object, ...]]:
    start = datetime(2026, 12, 4, 8, 0)
    return [
        (i, "城关第一小学", 5, i % 7 + 1, 60 + i % 41, start + timedelta(minutes=i)) for i in range(1, n + 1)
    ]


def test_packed_rows_keep_every_row_in_order_across_chunks_and_pickling() -> None:
    rows = people(2 * PackedRows.CHUNK + 17)
    packed = PackedRows(rows)
    assert len(packed) == len(rows) and list(packed) == rows
    assert list(packed) == rows  # read again: a sheet is read once for the workbook, once for the CSV
    assert list(pickle.loads(pickle.dumps(packed))) == rows


async def test_a_large_sheet_arrives_whole_from_the_worker() -> None:
    rows = people(PackedRows.CHUNK + 500)
    header = ["编号", "学校", "年级", "班级", "成绩", "通过时间"]
    workers = Workers(processes=1)
    try:
        xlsx, archive = await workers.run(
            workbook, [Sheet("certificates", "证书登记", header, PackedRows(rows))]
        )
    finally:
        await workers.close()
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True)["证书登记"]
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [tuple(header), *rows]
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        text = zf.read("certificates.csv").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == header and len(table) == 1 + len(rows)
    assert table[-1][:5] == [str(v) for v in rows[-1][:5]]


def test_text_that_looks_like_a_formula_or_a_link_stays_text() -> None:
    risky = ['=HYPERLINK("http://example.com","点我")', "https://example.com/a", "+123", "0012"]
    xlsx, _ = workbook([Sheet("notes", "说明", ["值"], [[value] for value in risky])])
    sheet = load_workbook(io.BytesIO(xlsx))["说明"]
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(risky))] == risky
    assert all(sheet.cell(row=i + 2, column=1).data_type == "s" for i in range(len(risky)))
    assert not sheet._hyperlinks  # noqa: SLF001 (openpyxl keeps a sheet's links only here)

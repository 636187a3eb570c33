"""An admin's files through `python -m bot run`: /export uploads the workbook and the CSV archive as
multipart documents, /chart a picture (both built in a worker process after the update's transaction;
benchmarks/export_load.py measures what that spares other users)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from tests.blackbox.harness import Bot, RemoteSimulator, eventually
from tests.conftest import ADMIN_ID


async def test_export_and_chart_arrive_as_uploads(bot: Bot, people: RemoteSimulator) -> None:
    await bot.start()
    admin = people.user("管理员", user_id=ADMIN_ID)
    await admin.send("/export constitution-day-2026")
    documents = await eventually(
        lambda: len(docs := [m.document for m in admin.private.bot_messages if m.document]) == 2 and docs,
        30,
        "the two files",
    )
    names = [d["file_name"] for d in documents]
    assert names[0].endswith(".xlsx") and names[1].endswith("-csv.zip")
    workbook = load_workbook(io.BytesIO(people.world.files[documents[0]["file_id"]]), read_only=True)
    assert len(workbook.sheetnames) >= 3
    with zipfile.ZipFile(io.BytesIO(people.world.files[documents[1]["file_id"]])) as archive:
        assert any(name.endswith(".csv") for name in archive.namelist())
    await admin.send("/chart constitution-day-2026")
    photo = await eventually(
        lambda: next((m.photo for m in admin.private.bot_messages if m.photo), None), 30, "a chart"
    )
    assert people.world.files[photo["file_id"]].startswith(b"\x89PNG")

"""Scheduled reports through `python -m bot run`: a campaign open now whose daily report time is seconds
away, in a content folder of the test's own. At that time, with nobody asking, the super admin (from
ADMIN_IDS) gets the district's summary and workbook and a school admin (granted by /grant) their school's;
each once, also after the bot is restarted within the slot."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.sim import SimMessage, SimUser
from tests.blackbox.harness import Bot, RemoteSimulator, eventually, open_around, shipped_content
from tests.conftest import ADMIN_ID

TZ = ZoneInfo("Asia/Shanghai")
CAMPAIGN = "constitution-day-2026"


def reports(user: SimUser) -> list[SimMessage]:
    """The report texts and workbooks the bot sent `user`, in order."""
    return [m for m in user.private.bot_messages if (m.text or "").startswith("🕕 定时报告") or m.document]


def schools_in(people: RemoteSimulator, workbook: SimMessage) -> list[str]:
    assert workbook.document is not None and workbook.document["file_name"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(people.world.files[workbook.document["file_id"]]), read_only=True)
    return [row[0] for row in book["学校"].iter_rows(min_row=2, values_only=True)]


async def test_the_daily_report_reaches_each_admin_in_scope_at_its_time_once(
    bot: Bot, people: RemoteSimulator, tmp_path: Path
) -> None:
    if (now := datetime.now(TZ)).hour == 23 and now.minute == 59:  # a daily slot ends with its day
        await asyncio.sleep(61 - now.second)
    at = (datetime.now(TZ) + timedelta(seconds=12)).replace(microsecond=0)
    campaign = open_around(shipped_content(tmp_path / "content"), CAMPAIGN, at)
    with campaign.open("a", encoding="utf-8") as yaml:
        yaml.write(f'reports: {{daily: "{at:%H:%M:%S}"}}\n')
    settings = {
        "CONTENT_DIR": str(tmp_path / "content"),
        "TIMEZONE": "Asia/Shanghai",
        "REPORT_EVERY_SECONDS": "0.5",
    }
    await bot.start(**settings)
    admin, head = people.user("管理员", user_id=ADMIN_ID), people.user("校长")
    await head.send("/myid")
    [granted] = await admin.send(f"/grant {head.id} school cg-p1")
    assert "已授权" in granted.text
    await asyncio.sleep(1)  # two runs of the report job
    assert datetime.now(TZ) < at, "the set-up took too long to see that nothing is sent early"
    assert not reports(admin) and not reports(head), "sent before its time"

    await eventually(lambda: all(len(reports(p)) == 2 for p in (admin, head)), 20 + 12, "the two reports")
    assert datetime.now(TZ) >= at
    for person in (admin, head):
        text, workbook = reports(person)
        assert text.text.startswith(f"🕕 定时报告（{at.month}月{at.day}日）") and "宪法宣传周" in text.text
        assert (
            workbook.document is not None
            and workbook.document["file_name"] == f"{CAMPAIGN}-daily-{at:%Y-%m-%d}.xlsx"
        )
    # each covers what its reader may see: the district every school, the school admin their own
    district, school = schools_in(people, reports(admin)[1]), schools_in(people, reports(head)[1])
    assert school == ["城关第一小学"] and {"城关第一小学", "城关第二小学"} <= set(district)
    assert "尚无人参与的学校（1 所）：\n· 城关第一小学" in reports(head)[0].text
    assert f"尚无人参与的学校（{len(district)} 所）" in reports(admin)[0].text

    await asyncio.sleep(1)  # more runs of the job within the slot: nothing more
    await bot.stop()  # and a restart within the slot: nothing more either
    await bot.start(**settings)
    await asyncio.sleep(2)
    assert [len(reports(p)) for p in (admin, head)] == [2, 2], "a second copy"

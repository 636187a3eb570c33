"""Scheduled reports, through the job `python -m bot run` schedules: at a campaign's report time the
admins in scope get the summary and the workbook without asking, once per slot, across restarts and
processes."""

from __future__ import annotations

from sqlalchemy import select

from bot.content.bundle import Content
from bot.db.models import ReportDelivery
from bot.db.session import Database
from bot.runtime import Services
from bot.services.outbound import Outcome
from bot.sim import Simulator
from tests.conftest import ADMIN_ID, Clock, make_settings
from tests.handlers.helpers import run_job


def reports_in(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [m.text for m in messages if (m.text or "").startswith("🕕 定时报告")]


async def test_the_daily_report_goes_to_each_admin_in_scope_once(
    sim: Simulator, services: Services, clock: Clock, content: Content
) -> None:
    admin = sim.user("管理员", user_id=ADMIN_ID)
    teacher, pupil = sim.user("李老师"), sim.user("小明")
    await teacher.send("/myid")
    await admin.send(f"/grant {teacher.id} class cg-p1 5-1")
    await run_job(sim, "scheduled-reports")  # 09:00 on the first day: the first report is at 18:00
    assert not reports_in(admin.private.bot_messages)

    clock.advance(hours=9, minutes=1)
    await run_job(sim, "scheduled-reports")
    for person in (admin, teacher):
        [report] = reports_in(person.private.bot_messages)
        # headed by its day, not the slot's code (an admins' pass: 定时报告（end）)
        assert report.startswith("🕕 定时报告（12月1日）") and "宪法宣传周" in report
        workbook = person.private.last
        assert workbook.document is not None and workbook.document["file_name"].endswith(".xlsx")
        assert sim.world.files[workbook.document["file_id"]].startswith(b"PK")  # a real XLSX
    assert not pupil.private.bot_messages

    await run_job(sim, "scheduled-reports")  # the same slot again: nothing
    assert len(reports_in(admin.private.bot_messages)) == 1
    # another process (or the bot after a restart) on the same database sends nothing either
    other = Services.assemble(make_settings(database_url=services.settings.database_url),
                              Database(services.settings.database_url), content, clock=clock)  # fmt: skip
    sent: list[int] = []

    async def send(due: object) -> Outcome:
        sent.append(1)
        return Outcome.sent

    assert await other.reports.send_due(other.db, send) == 0 and not sent
    await other.close()

    async with services.db.transaction() as session:
        slots = (await session.execute(select(ReportDelivery.slot, ReportDelivery.admin_id))).all()
    assert sorted(slots) == sorted([("daily:2026-12-01", ADMIN_ID), ("daily:2026-12-01", teacher.id)])

    clock.advance(hours=7)  # 01:01 the next day: yesterday's report went out, today's is not due yet
    await run_job(sim, "scheduled-reports")
    assert len(reports_in(admin.private.bot_messages)) == 1
    clock.advance(hours=17)
    await run_job(sim, "scheduled-reports")
    assert [r.splitlines()[0] for r in reports_in(admin.private.bot_messages)][-1].endswith("（12月2日）")
    [audit] = await admin.send("/audit")
    # received, in words: not 导出 · constitution-day-2026 (scheduled daily:2026-12-02), as if the admin had
    # exported it (an admins' pass)
    title = services.content.campaigns["constitution-day-2026"].title
    assert f"收到定时报告 · {title}（12月2日）" in audit.text and "scheduled" not in audit.text

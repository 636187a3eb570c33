"""Admin statistics at district scale: seeds 100,000 users across the sample district and 1,000,000
answers, then times /stats, a school drill-down, /missing for the district, the export (read here and
written by a worker process, as /export makes it) and a scheduled report (the same, to a district
admin), on SQLite and PostgreSQL, and prints the peak memory of the process and of its workers. Each
figure is the median of --repeat runs (peak memory is of the processes serving them all). --verbose prints the query plans (EXPLAIN) of the queries that
/stats and the drill-down send.

    python -m benchmarks.stats [--db sqlite|postgresql|both] [--users 100000] [--answers 1000000]
                               [--pg-url URL] [--repeat 3] [--verbose]
    python -m benchmarks.stats --measure URL [--repeat 3] [--verbose]   # again, on a seeded database

Province scale (PostgreSQL): --db postgresql --users 1000000 --answers 10000000; seed once, then
measure the same database again with --measure.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, text

from benchmarks.common import district_parser, fresh_database, services_for
from bot.db import stats as queries
from bot.db.models import Attempt, AttemptQuestion, AuditEntry, CampaignMember, ReportDelivery, User
from bot.db.schools import sync_district
from bot.domain import Scope
from bot.runtime import Services
from bot.services.outbound import Outcome
from bot.services.scheduled_reports import DueReport, ScheduledReports
from bot.views import Speaker
from bot.views.export import export_files
from bot.views.stats import stats_text

CAMPAIGN = "constitution-day-2026"
SCHEDULED_ADMIN = 4242  # a district admin from configuration, for the scheduled report
QUESTIONS = 15


async def bulk(services: Services, table, columns: list[str], rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    """Fast inserts through the driver: COPY on PostgreSQL, executemany on SQLite."""
    async with services.db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        if services.db.engine.dialect.name == "postgresql":
            await driver.copy_records_to_table(table.__tablename__, records=rows, columns=columns)  # type: ignore[union-attr]
        else:
            marks = ", ".join("?" for _ in columns)
            await driver.executemany(
                f"INSERT INTO {table.__tablename__} ({', '.join(columns)}) VALUES ({marks})", rows
            )  # type: ignore[union-attr]
            await driver.commit()  # type: ignore[union-attr]


CHUNK = 20_000  # users generated and written at a time, so that province-scale seeding fits in memory


async def seed(services: Services, users: int, answers: int, rng: random.Random) -> None:
    async with services.db.transaction() as session:
        await sync_district(session, district=services.content.district)
    totals = [0, 0, 0]
    attempt_id = 0
    for first in range(1, users + 1, CHUNK):
        attempt_id = await seed_chunk(
            services, first, min(users, first + CHUNK - 1), answers, rng, attempt_id, totals
        )
    async with services.db.transaction() as session:  # as the quiz engine counts them when attempts end
        await queries.rebuild_tallies(session)
    async with services.db.engine.begin() as conn:
        if services.db.engine.dialect.name == "postgresql":
            await conn.execute(text("SELECT setval('attempts_id_seq', (SELECT max(id) FROM attempts))"))
        await conn.execute(text("ANALYZE"))
    print(f"  seeded {users} users, {totals[1]} attempts, {totals[2]} answers")


async def seed_chunk(services: Services, first: int, last: int, answers: int, rng: random.Random, attempt_id: int,
                     totals: list[int]) -> int:  # fmt: skip
    schools = [s for s in services.content.district.schools.values() if s.grade_list]
    campaign = services.content.campaigns[CAMPAIGN]
    low, high = campaign.audience.grades or (1, 12)
    now = datetime(2026, 12, 3, tzinfo=UTC)
    user_rows, member_rows, attempt_rows, answer_rows = [], [], [], []
    bank = [q.id for q in services.content.questions.pool("constitution")]
    attempts_needed = answers // QUESTIONS
    for uid in range(first, last + 1):
        school = rng.choice(schools)
        grade = rng.choice(school.grade_list)
        user_rows.append((uid, "zh", "student", school.id, grade, rng.randint(1, max(school.classes, 1)), None, False, None,
                          now, now, now, True))  # fmt: skip
        if attempt_id < attempts_needed and low <= grade <= high and rng.random() < 0.8:
            member_rows.append((CAMPAIGN, uid, now, False))
            for _ in range(rng.choice((1, 1, 2))):
                if attempt_id >= attempts_needed:
                    break
                attempt_id += 1
                right = [rng.random() < 0.75 for _ in range(QUESTIONS)]
                score = round(100 * sum(right) / QUESTIONS)
                started = now - timedelta(days=rng.randint(0, 2), minutes=rng.randint(0, 600))
                seconds = rng.randint(120, 900)
                attempt_rows.append((attempt_id, uid, "exam", None, CAMPAIGN, QUESTIONS, QUESTIONS, sum(right),
                                     "finished", score, started, None, started + timedelta(seconds=seconds), seconds, 60, 90))  # fmt: skip
                for position, ok in enumerate(right):
                    chosen = "0" if ok else rng.choice("123")
                    answer_rows.append((attempt_id, position, rng.choice(bank), "0123", chosen, ok, started))
    await bulk(services, User, ["id", "language", "role", "school_id", "grade", "class_no", "display_name", "show_name",
                                "awaiting", "registered_at", "created_at", "last_seen_at", "active"], user_rows)  # fmt: skip
    await bulk(services, CampaignMember, ["campaign_id", "user_id", "joined_at", "reading"], member_rows)
    await bulk(services, Attempt, ["id", "user_id", "mode", "law", "campaign_id", "total", "shown", "correct",
                                   "status", "score", "started_at", "deadline_at", "finished_at", "seconds", "pass_mark",
                                   "excellent_mark"], attempt_rows)  # fmt: skip
    await bulk(services, AttemptQuestion, ["attempt_id", "position", "question_id", "option_order", "chosen", "correct",
                                           "answered_at"], answer_rows)  # fmt: skip
    totals[0], totals[1], totals[2] = (
        totals[0] + len(user_rows),
        totals[1] + len(attempt_rows),
        totals[2] + len(answer_rows),
    )
    return attempt_id


def resident_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as status:
        return int(status.read().split(f"{field}:")[1].split()[0]) / 1024


async def scheduled_report(services: Services, voice: Speaker) -> int:
    """One daily slot of the campaign's scheduled reports to a district admin, as the job makes it (the
    claim, the summary and the workbook), with only the Telegram send left out; the claim and its audit
    line are removed afterwards, so that the next run is due again."""
    campaign = services.content.campaigns[CAMPAIGN]
    at = datetime(2026, 12, 3, 18, 30, tzinfo=services.stats.tz)  # after the day's 18:00 report time
    reports = ScheduledReports({campaign.id: campaign}, services.stats, frozenset({SCHEDULED_ADMIN}),
                               services.stats.tz, clock=lambda: at)  # fmt: skip

    async def send(due: DueReport) -> Outcome:
        stats_text(voice, due.report)
        await export_files(voice, due.slot.campaign, due.scope)
        return Outcome.sent

    sent = await reports.send_due(services.db, send)
    async with services.db.transaction() as session:
        await session.execute(delete(ReportDelivery).where(ReportDelivery.admin_id == SCHEDULED_ADMIN))
        await session.execute(delete(AuditEntry).where(AuditEntry.actor == SCHEDULED_ADMIN))
    assert sent == 1, f"{sent} scheduled reports sent, not 1"
    return sent


def children_peak_mb() -> list[float]:
    """The peak memory (VmHWM) of each process this one started (the workers that write the exports)."""
    peaks = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == os.getpid():
                status = (stat.parent / "status").read_text()
                peaks.append(int(status.split("VmHWM:")[1].split()[0]) / 1024)
        except (OSError, IndexError, ValueError):  # gone meanwhile, or a kernel thread
            continue
    return peaks


async def timed(label: str, run: Callable[[], Awaitable[Any]], repeat: int) -> Any:
    """Run `repeat` times; print the median, the range, this process's CPU time (the median's share of
    the machine: on a loaded machine the wall time is longer), and the peak memory so far."""
    seconds, cpu, result = [], [], None
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        result = await run()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    print(f"  {label:<28} {statistics.median(seconds):7.3f} s median of {repeat} ({min(seconds):.3f}–{max(seconds):.3f}),"
          f" CPU {statistics.median(cpu):.3f} s   (peak memory so far {resident_mb('VmHWM'):.0f} MB)", flush=True)  # fmt: skip
    return result


async def run(kind: str, url: str, users: int, answers: int) -> None:
    services = services_for(url)
    print(f"{kind}:", flush=True)
    started = time.perf_counter()
    await seed(services, users, answers, random.Random(4))
    print(f"  seeding took {time.perf_counter() - started:.1f} s", flush=True)
    await services.close()


async def explain(services: Services, label: str, statement: Any) -> None:
    """The plan of one query, as the database would run it (EXPLAIN ANALYZE on PostgreSQL)."""
    postgres = services.db.engine.dialect.name == "postgresql"
    compiled = statement.compile(dialect=services.db.engine.dialect, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    async with services.db.engine.begin() as conn:
        if postgres:  # as the statistics reads run (bot.db.stats.roomy)
            for setting in queries.ROOMY:
                await conn.execute(text(setting))
        rows = (await conn.execute(text(prefix + str(compiled)))).all()
    print(f"  -- plan: {label}")
    for row in rows:
        print("     " + (row[0] if postgres else f"{row[1]:>3} {row[2]:>3} {row[-1]}"))


async def plans(services: Services, campaign_id: str, school_id: str) -> None:
    from sqlalchemy import case, func, select

    from bot.db.models import ItemTally

    for label, scope in (
        ("district", Scope(district=True)),
        (f"school {school_id}", Scope(schools=frozenset({school_id}))),
    ):
        r = queries.counted(campaign_id, "best", scope)
        passed = func.sum(case((r.c.passed == 1, 1), else_=0))
        keys = [r.c.school_id] if scope.district else [r.c.school_id, r.c.grade, r.c.class_no, r.c.role]
        await explain(
            services,
            f"overview, {label}",
            select(*keys, r.c.score, func.count(), passed).group_by(*keys, r.c.score),
        )
    hardest = select(ItemTally.question_id, func.sum(ItemTally.wrong)).where(
        ItemTally.campaign_id == campaign_id
    )
    await explain(services, "hardest questions, district (tallies)", hardest.group_by(ItemTally.question_id))


async def measure(url: str, repeat: int, verbose: bool, export_repeat: int | None = None) -> None:
    """Run in a fresh process, so that its peak memory is what the bot would use, not the seeding."""
    services = services_for(url)
    print(f"  memory with content loaded: {resident_mb():.0f} MB")
    campaign = services.content.campaigns[CAMPAIGN]
    district = Scope(district=True)
    biggest = max(services.content.district.schools.values(), key=lambda s: s.students)
    db, stats = services.db, services.stats
    voice = Speaker(services, "zh")

    async def export() -> tuple[bytes, bytes]:  # as /export makes it: read here, written by a worker process
        return await export_files(voice, campaign, district)

    if verbose:
        await plans(services, campaign.id, biggest.id)
    await timed("/stats (district)", lambda: db.read(stats.report, campaign, district), repeat)
    school = Scope(schools=frozenset({biggest.id}))
    await timed(f"/stats school {biggest.id}", lambda: db.read(stats.classes, campaign, school), repeat)
    await timed(f"/stats as {biggest.id}'s admin", lambda: db.read(stats.report, campaign, school), repeat)
    await timed("/missing (district)", lambda: db.read(services.followup.missing, campaign, district), repeat)
    xlsx, archive = await timed("/export (xlsx + csv zip)", export, export_repeat or repeat)
    await timed(
        "scheduled report, district admin", lambda: scheduled_report(services, voice), export_repeat or repeat
    )
    print(f"  memory after the export: {resident_mb():.0f} MB now")
    print(f"  export sizes: xlsx {len(xlsx) / 1e6:.1f} MB, zip {len(archive) / 1e6:.1f} MB")
    # VmHWM, not ru_maxrss: after fork and exec, ru_maxrss still counts the seeding parent's peak
    print(f"  peak memory of the process serving these: {resident_mb('VmHWM'):.0f} MB;"
          f" of the worker processes that wrote the files: {', '.join(f'{mb:.0f} MB' for mb in children_peak_mb())}")  # fmt: skip
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    await services.close()


def main() -> None:
    parser = district_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="timings per figure (the median is shown)")
    parser.add_argument("--export-repeat", type=int, help="timings of the export (default: --repeat)")
    parser.add_argument("--verbose", action="store_true", help="print the query plans")
    parser.add_argument("--measure", metavar="URL", help="measure an already seeded database")
    parser.add_argument("--seed-only", action="store_true", help="seed, and measure later with --measure")
    args = parser.parse_args()
    if args.measure:
        asyncio.run(measure(args.measure, args.repeat, args.verbose, args.export_repeat))
        return
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        url = fresh_database(kind, args.pg_url)
        asyncio.run(run(kind, url, args.users, args.answers))
        if args.seed_only:
            print(f"  seeded {url}: measure with --measure {url}")
            continue
        extra = ["--verbose"] if args.verbose else []
        subprocess.run([sys.executable, "-m", "benchmarks.stats", "--measure", url, "--repeat", str(args.repeat), *extra],
                       check=True)  # fmt: skip


if __name__ == "__main__":
    main()

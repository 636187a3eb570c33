"""Admin statistics at district scale: seeds 100,000 users across the sample district and 1,000,000
answers, then times /stats, a school drill-down and the export, on SQLite and PostgreSQL, and prints
the peak memory of the process.

    python -m benchmarks.stats [--db sqlite|postgresql|both] [--users 100000] [--answers 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from benchmarks.common import fresh_database, services_for
from bot.db.models import Attempt, AttemptQuestion, CampaignMember, User
from bot.db.schools import sync_district
from bot.domain import Scope
from bot.render.workbook import workbook
from bot.runtime import Services

CAMPAIGN = "constitution-day-2026"
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


async def seed(services: Services, users: int, answers: int, rng: random.Random) -> None:
    async with services.db.transaction() as session:
        await sync_district(session, district=services.content.district)
    schools = [s for s in services.content.district.schools.values() if s.grade_list]
    campaign = services.content.campaigns[CAMPAIGN]
    low, high = campaign.audience.grades or (1, 12)
    now = datetime(2026, 12, 3, tzinfo=UTC)
    user_rows, member_rows, attempt_rows, answer_rows = [], [], [], []
    bank = [q.id for q in services.content.questions.pool("constitution")]
    attempts_needed = answers // QUESTIONS
    attempt_id = 0
    for uid in range(1, users + 1):
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
                    answer_rows.append((attempt_id, position, rng.choice(bank), "0123", "0", ok, started))
    await bulk(services, User, ["id", "language", "role", "school_id", "grade", "class_no", "display_name", "show_name",
                                "awaiting", "registered_at", "created_at", "last_seen_at", "active"], user_rows)  # fmt: skip
    await bulk(services, CampaignMember, ["campaign_id", "user_id", "joined_at", "reading"], member_rows)
    await bulk(services, Attempt, ["id", "user_id", "mode", "law", "campaign_id", "total", "shown", "correct",
                                   "status", "score", "started_at", "deadline_at", "finished_at", "seconds", "pass_mark",
                                   "excellent_mark"], attempt_rows)  # fmt: skip
    await bulk(services, AttemptQuestion, ["attempt_id", "position", "question_id", "option_order", "chosen", "correct",
                                           "answered_at"], answer_rows)  # fmt: skip
    async with services.db.engine.begin() as conn:
        if services.db.engine.dialect.name == "postgresql":
            await conn.execute(text("SELECT setval('attempts_id_seq', (SELECT max(id) FROM attempts))"))
        await conn.execute(text("ANALYZE"))
    print(f"  seeded {len(user_rows)} users, {len(attempt_rows)} attempts, {len(answer_rows)} answers")


def resident_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as status:
        return int(status.read().split(f"{field}:")[1].split()[0]) / 1024


async def timed(label: str, coroutine) -> object:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = await coroutine
    print(
        f"  {label:<28} {time.perf_counter() - started:7.3f} s   (peak memory so far {resident_mb('VmHWM'):.0f} MB)"
    )
    return result


async def run(kind: str, url: str, users: int, answers: int) -> None:
    services = services_for(url)
    print(f"{kind}:", flush=True)
    started = time.perf_counter()
    await seed(services, users, answers, random.Random(4))
    print(f"  seeding took {time.perf_counter() - started:.1f} s", flush=True)
    await services.close()


async def measure(url: str) -> None:
    """Run in a fresh process, so that its peak memory is what the bot would use, not the seeding."""
    services = services_for(url)
    print(f"  memory with content loaded: {resident_mb():.0f} MB")
    campaign = services.content.campaigns[CAMPAIGN]
    district = Scope(district=True)
    biggest = max(services.content.district.schools.values(), key=lambda s: s.students)
    db, stats = services.db, services.stats

    async def export() -> tuple[bytes, bytes]:  # read as /export reads, built as its worker builds
        return workbook(await db.read(stats.export_tables, campaign, district))

    await timed("/stats (district)", db.read(stats.report, campaign, district))
    await timed(
        f"/stats school {biggest.id}",
        db.read(stats.classes, campaign, Scope(schools=frozenset({biggest.id}))),
    )
    xlsx, archive = await timed("/export (xlsx + csv zip)", export())  # type: ignore[misc]
    print(f"  memory after the export: {resident_mb():.0f} MB now")
    print(f"  export sizes: xlsx {len(xlsx) / 1e6:.1f} MB, zip {len(archive) / 1e6:.1f} MB")
    # VmHWM, not ru_maxrss: after fork and exec, ru_maxrss still counts the seeding parent's peak
    print(f"  peak memory of the process serving these: {resident_mb('VmHWM'):.0f} MB")
    await services.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        asyncio.run(measure(args.measure))
        return
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        url = fresh_database(kind)
        asyncio.run(run(kind, url, args.users, args.answers))
        subprocess.run([sys.executable, "-m", "benchmarks.stats", "--measure", url], check=True)


if __name__ == "__main__":
    main()

"""What an admin's /export (or /chart) at district scale does to everyone else.

Seeds the district as benchmarks/stats.py does (100,000 users, 1,000,000 answers), then, in a fresh
process (as a serving bot would be), builds the production application over the simulated Telegram, with
its rate limiter, and sends /help from other users at a steady `--pace`: first with nothing else running
(the baseline), then while an admin's /export runs. Each /help is timed from the moment it was due, not
from when the bot got round to it, so time the event loop spent blocked counts. Printed: p50/p99 of those
/help replies without and during the export, and the export's own duration (the two files sent); medians
of `--repeat` runs. The PostgreSQL run uses postgresql+asyncpg://postgres@127.0.0.1:5432/test (or
`--pg-url`) and wipes it.

    python -m benchmarks.export_load [--db sqlite|postgresql|both] [--users 100000] [--answers 1000000]
                                     [--repeat 3] [--pace 20] [--command export|chart] [--workers process|thread]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from benchmarks.common import district_parser, fresh_database, percentiles, root, services_for
from benchmarks.stats import CAMPAIGN, seed
from bot.app import build_application, on_startup
from bot.config import Settings
from bot.content.bundle import require_content
from bot.db.session import Database
from bot.runtime import Services, new_event_loop
from bot.sim import Simulator, SimUser, World
from bot.sim.simulator import SIM_TOKEN, SimRequest
from bot.workers import Workers

ADMIN_ID = 9_000_001
HELPERS = 2000  # distinct (seeded) users who send /help, in turn


@dataclass
class Run:
    baseline: list[float] = field(default_factory=list)  # ms
    during: list[float] = field(default_factory=list)  # ms
    seconds: float = 0.0  # the export (or charts) from the command to the last file sent


async def paced_help(people: list[SimUser], pace: float, until: asyncio.Future[float]) -> list[float]:
    """/help from `people` in turn, one every 1/pace s, until `until` (a perf_counter time) is known and
    passed; each timed from when it was due. Those that fell due while the loop was blocked are sent late,
    not skipped."""
    latencies: list[float] = []
    failures: list[str] = []

    async def one(person: SimUser, due: float) -> None:
        replies = await person.send("/help")
        latencies.append((time.perf_counter() - due) * 1000)
        if not replies or "/quiz" not in (replies[-1].text or ""):
            failures.append(replies[-1].text if replies else "(nothing)")

    started = time.perf_counter()
    tasks = []
    for i in itertools.count():
        due = started + i / pace
        if until.done() and due > until.result():
            break
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(people[i % len(people)], due)))
    await asyncio.gather(*tasks)
    if failures:
        raise RuntimeError(f"{len(failures)} /help replies were wrong, e.g. {failures[0]!r}")
    return latencies


async def timer(seconds: float) -> float:
    await asyncio.sleep(seconds)
    return time.perf_counter()


async def one_run(sim: Simulator, people: list[SimUser], pace: float, command: str, baseline: float) -> Run:
    run = Run()
    loop = asyncio.get_running_loop()
    done = loop.create_task(timer(baseline))
    run.baseline = await paced_help(people, pace, done)

    admin = sim.user("管理员", user_id=ADMIN_ID)
    finished: asyncio.Future[float] = loop.create_future()

    async def export() -> None:
        started = time.perf_counter()
        sent = await admin.send(f"/{command} {CAMPAIGN}")
        run.seconds = time.perf_counter() - started
        finished.set_result(time.perf_counter())
        wanted = (
            [m.document is not None for m in sent]
            if command == "export"
            else [m.photo is not None for m in sent]
        )
        if wanted != [True, True]:
            raise RuntimeError(f"/{command} sent {sent!r}")

    task = loop.create_task(export())
    run.during = await paced_help(people, pace, finished)
    await task
    return run


async def measure(url: str, args: argparse.Namespace) -> None:
    users, repeat, pace, command, baseline = args.users, args.repeat, args.pace, args.command, args.baseline
    settings = Settings(_env_file=None, database_url=url, admin_ids=frozenset({ADMIN_ID}))  # type: ignore[call-arg]
    content = require_content(root() / "content", root() / "quizzes")
    services = Services.assemble(settings, Database(url), content)
    if args.workers == "thread":
        services.workers = Workers(processes=0)
    world = World()
    app = build_application(services, request=SimRequest(world), token=SIM_TOKEN)  # with the rate limiter
    sim = Simulator(app, world)
    people = [
        sim.user(f"用户{i}", user_id=i)
        for i in random.Random(7).sample(range(1, users + 1), min(HELPERS, users))
    ]
    runs: list[Run] = []
    async with app:
        await on_startup(app)
        for person in people[:20]:  # warm up: first statements, first replies
            await person.send("/help")
        for i in range(repeat):
            run = await one_run(sim, people, pace, command, baseline)
            runs.append(run)
            b50, b99 = percentiles(run.baseline)
            d50, d99 = percentiles(run.during)
            print(f"  run {i + 1}: /help without: p50 {b50:6.1f} ms, p99 {b99:6.1f} ms ({len(run.baseline)});  "
                  f"during /{command}: p50 {d50:7.1f} ms, p99 {d99:7.1f} ms ({len(run.during)});  "
                  f"/{command} took {run.seconds:.2f} s", flush=True)  # fmt: skip
    await services.close()  # the database and any worker processes

    def median(figure: int, attr: str) -> float:
        return statistics.median(percentiles(getattr(r, attr))[figure] for r in runs)

    print(f"  median of {repeat}: /help at {pace:.0f}/s without: p50 {median(0, 'baseline'):.1f} ms, "
          f"p99 {median(1, 'baseline'):.1f} ms;  during /{command}: p50 {median(0, 'during'):.1f} ms, "
          f"p99 {median(1, 'during'):.1f} ms;  /{command} took {statistics.median(r.seconds for r in runs):.2f} s")  # fmt: skip


async def prepare(url: str, users: int, answers: int) -> None:
    services = services_for(url)
    started = time.perf_counter()
    await seed(services, users, answers, random.Random(4))
    print(f"  seeding took {time.perf_counter() - started:.1f} s", flush=True)
    await services.close()


def main() -> None:
    parser = district_parser(__doc__)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs on the seeded database (medians are printed)"
    )
    parser.add_argument("--pace", type=float, default=20, help="/help per second from other users")
    parser.add_argument(
        "--baseline", type=float, default=5, help="seconds of /help without an export, per run"
    )
    parser.add_argument("--command", choices=["export", "chart"], default="export")
    parser.add_argument(
        "--workers",
        choices=["process", "thread"],
        default="process",
        help="where the files are built: worker processes (as the bot does) or threads",
    )
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        with asyncio.Runner(loop_factory=new_event_loop) as runner:  # the loop `python -m bot run` uses
            runner.run(measure(args.measure, args))
        return
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        print(f"{kind}:", flush=True)
        url = fresh_database(kind, args.pg_url)
        asyncio.run(prepare(url, args.users, args.answers))
        passed = ["--users", str(args.users), "--repeat", str(args.repeat), "--pace", str(args.pace), "--baseline", str(args.baseline),
                  "--command", args.command, "--workers", args.workers]  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "benchmarks.export_load", "--measure", url, *passed], check=True
        )


if __name__ == "__main__":
    main()

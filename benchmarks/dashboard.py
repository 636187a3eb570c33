"""The admin dashboard at district scale: seeds 100,000 users and 1,000,000 answers (benchmarks/stats.py),
starts the production application with its dashboard on a local port (as `run` does, beside the bot),
and measures

1. the district page as a bureau admin's browser loads it: /api/campaigns, then /api/view and
   /api/charts at once (as dashboard.js does): first once with nothing shared yet (the day's first
   admin), then `--loads` times in a row; p50/p99 of each call and of the whole page;
2. other users' /help latency (p50/p99, each timed from when it was due, at `--pace` a second) without
   and while ten dashboards (`--dashboards`) load the district page at once, `--rounds` times each.

    python -m benchmarks.dashboard [--db sqlite|postgresql|both] [--users 100000] [--answers 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import subprocess
import sys
import time
from collections import defaultdict

import aiohttp

from benchmarks.common import district_parser, fresh_database, percentiles, root
from benchmarks.export_load import HELPERS, paced_help, prepare, timer
from benchmarks.stats import CAMPAIGN
from bot.app import build_application, on_shutdown, on_startup
from bot.config import Settings
from bot.content.bundle import require_content
from bot.db.session import Database
from bot.runtime import Services
from bot.services.webapp_auth import sign_init_data
from bot.sim import Simulator, World
from bot.sim.simulator import SIM_TOKEN, SimRequest

ADMIN_ID = 4242


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def init_data(user_id: int) -> str:
    from urllib.parse import urlencode

    fields = {"auth_date": str(int(time.time())), "user": f'{{"id":{user_id}}}'}
    fields["hash"] = sign_init_data(fields, SIM_TOKEN)
    return urlencode(fields)


async def page_load(http: aiohttp.ClientSession, token: str, timings: dict[str, list[float]]) -> None:
    """What dashboard.js asks for when the district page opens."""
    headers = {"Authorization": f"Bearer {token}"}

    async def call(name: str, params: dict[str, str] | None = None) -> None:
        started = time.perf_counter()
        async with http.get(f"/api/{name}", params=params, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"/api/{name}: HTTP {response.status}")
        timings[name].append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await call("campaigns")
    await asyncio.gather(call("view", {"campaign": CAMPAIGN}), call("charts", {"campaign": CAMPAIGN}))
    timings["page"].append((time.perf_counter() - started) * 1000)


async def measure(url: str, args: argparse.Namespace) -> None:
    port = free_port()
    settings = Settings(_env_file=None, database_url=url, admin_ids=frozenset({ADMIN_ID}),  # type: ignore[call-arg]
                        dashboard_url=f"http://127.0.0.1:{port}", dashboard_port=port)  # fmt: skip
    content = require_content(root() / "content", root() / "quizzes")
    services = Services.assemble(settings, Database(url), content)
    world = World()
    app = build_application(services, request=SimRequest(world), token=SIM_TOKEN)  # with the rate limiter
    sim = Simulator(app, world)
    people = [sim.user(f"用户{i}", user_id=i)
              for i in random.Random(7).sample(range(1, args.users + 1), min(HELPERS, args.users))]  # fmt: skip
    async with app:
        await on_startup(app)
        try:
            async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
                async with http.post("/api/session", json={"init_data": init_data(ADMIN_ID)}) as response:
                    token = (await response.json())["token"]
                for person in people[:20]:  # warm up
                    await person.send("/help")
                cold: dict[str, list[float]] = defaultdict(list)
                await page_load(http, token, cold)  # the first admin of the day: nothing is shared yet
                print(f"  district page, first load (nothing shared yet): page {cold['page'][0]:.0f} ms"
                      f" (campaigns {cold['campaigns'][0]:.0f}, view {cold['view'][0]:.0f}, charts {cold['charts'][0]:.0f})")  # fmt: skip
                timings: dict[str, list[float]] = defaultdict(list)
                for _ in range(args.loads):
                    await page_load(http, token, timings)
                for name in ("campaigns", "view", "charts", "page"):
                    p50, p99 = percentiles(timings[name])
                    print(
                        f"  district page, one admin, {args.loads} loads: {name:<9} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
                    )

                loop = asyncio.get_running_loop()
                baseline = await paced_help(people, args.pace, loop.create_task(timer(args.baseline)))
                crowd: dict[str, list[float]] = defaultdict(list)
                finished: asyncio.Future[float] = loop.create_future()

                async def dashboards() -> None:
                    for _ in range(args.rounds):
                        await asyncio.gather(*(page_load(http, token, crowd) for _ in range(args.dashboards)))
                    finished.set_result(time.perf_counter())

                task = loop.create_task(dashboards())
                during = await paced_help(people, args.pace, finished)
                await task
        finally:
            await on_shutdown(app)
    b50, b99 = percentiles(baseline)
    d50, d99 = percentiles(during)
    c50, c99 = percentiles(crowd["page"])
    print(f"  /help at {args.pace:.0f}/s without: p50 {b50:.1f} ms, p99 {b99:.1f} ms ({len(baseline)});  while "
          f"{args.dashboards} dashboards load ({args.rounds} rounds): p50 {d50:.1f} ms, p99 {d99:.1f} ms "
          f"({len(during)});  those pages: p50 {c50:.0f} ms, p99 {c99:.0f} ms")  # fmt: skip


def main() -> None:
    parser = district_parser(__doc__)
    parser.add_argument("--loads", type=int, default=20, help="district page loads by one admin, timed")
    parser.add_argument("--dashboards", type=int, default=10, help="dashboards loading at once")
    parser.add_argument("--rounds", type=int, default=3, help="times the dashboards load the page")
    parser.add_argument("--pace", type=float, default=20, help="/help per second from other users")
    parser.add_argument("--baseline", type=float, default=5, help="seconds of /help with no dashboard")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        asyncio.run(measure(args.measure, args))
        return
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        url = fresh_database(kind, args.pg_url)
        print(f"{kind}:", flush=True)
        asyncio.run(prepare(url, args.users, args.answers))
        forwarded = [
            f"--{k}={getattr(args, k)}"
            for k in ("users", "loads", "dashboards", "rounds", "pace", "baseline")
        ]
        subprocess.run(
            [sys.executable, "-m", "benchmarks.dashboard", "--measure", url, *forwarded], check=True
        )


if __name__ == "__main__":
    main()

"""What people feel while the bot is busy: `python -m bot run`, as shipped (its rate limiter and
settings' defaults), against the simulated Telegram over HTTP with a round trip of `--rtt` (100 ms: a
plausible trip to Telegram from the district) on every call.

`--users` people (200) answer practice quizzes at a person's pace (a tap every `--think` seconds, with
jitter) for `--seconds` (60) while a broadcast goes to `--recipients` users (1,500, about a minute at 25
a second). Printed: tap-to-answer latency (from the moment the tap reaches Telegram to the bot's having
sent everything the tap causes: the answer's edit, the next question), p50/p95/p99; and the broadcast's
rate as Telegram saw it (each message stamped by the kernel as it arrived, bot/sim/front_door.py):
messages per second overall and after its first 10 s (the 200 people all start at once, and a broadcast
to 50,000 lasts half an hour: it takes its steady rate's time), and the most in any one-second window; and
how long the driver itself stalled (its event loop's longest lag), which delays its answers and its
people's taps. Medians of `--repeat` runs. PostgreSQL: `--db postgresql` (`--pg-url`, wiped).

    python -m benchmarks.load [--db sqlite|postgresql] [--users 200] [--seconds 60] [--rtt 0.1]
                              [--recipients 1500] [--think 3] [--repeat 1]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import PG_URL, fresh_database
from bot.db.models import User, utcnow
from bot.db.session import Database
from bot.domain import Role
from bot.sim import World
from bot.sim.http import BotApiServer
from bot.sim.simulator import SIM_TOKEN, SimMessage, SimUser
from tests.blackbox.harness import Bot, RemoteSimulator, bot_env, eventually, shipped_content

ADMIN_ID = 9_000_001
STEADY = 10  # seconds: the broadcast's rate is also given without its first ones
TEXT = "12月4日国家宪法日：请同学们参加宪法知识竞赛。"
LETTER = f"📢 通知\n\n{TEXT}"  # as recipients get it


async def seed(url: str, users: int, recipients: int) -> None:
    """Registered staff (the quiz takers first), all of them in the broadcast's audience."""
    db = Database(url)
    async with db.transaction() as session:
        for i in range(max(users, recipients)):
            session.add(User(id=1000 + i, language="zh", role=Role.staff, school_id="cg-j1", registered_at=utcnow(),
                             created_at=utcnow(), last_seen_at=utcnow(), active=True))  # fmt: skip
    await db.dispose()


async def take_quiz(
    person: SimUser, until: float, think: float, rng: random.Random, taps: list[float]
) -> None:
    """Practice quizzes, a tap every `think` s (jittered); each answer and each 下一题 is timed."""

    async def tap(label: str | int, message: SimMessage) -> list[SimMessage]:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        started = time.perf_counter()
        sent = await person.press(label, message=message)
        taps.append((time.perf_counter() - started) * 1000)
        return sent

    while time.perf_counter() < until:
        await person.send("/quiz")
        if "🔄 重新开始" in person.last.button_texts:  # the last quiz is still open: start afresh
            await person.press("🔄 重新开始")
        await person.press("宪法")
        question = (await person.press("10 题"))[-1]
        for _ in range(10):
            if not question.buttons:  # not a question (e.g. an error reply): start another quiz
                break
            if "✅ 提交" in question.button_texts:  # multiple choice: tick one, then submit
                await person.press(0, message=question)
                await tap("✅ 提交", question)
            else:
                await tap(0, question)
            nexts = [b for b in question.button_texts if b.startswith("下一题")]
            if not nexts or time.perf_counter() >= until:
                break
            shown = await tap(nexts[0], question)
            if not shown:
                break
            question = shown[-1]


class Stalls:
    """How long this process (the driver, which also plays Telegram) stopped answering: its event loop's
    longest lag and its longest garbage collection. While it stalls, the bot's calls wait for their answers
    and people's taps for the driver (arrivals are still stamped when they came: the kernel stamps them)."""

    def __init__(self) -> None:
        self.loop_lag = 0.0
        self.gc_pause = 0.0
        self._gc_started = 0.0

    def _gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_pause = max(self.gc_pause, time.perf_counter() - self._gc_started)

    async def watch(self) -> None:
        gc.callbacks.append(self._gc)
        try:
            while True:
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                self.loop_lag = max(self.loop_lag, time.perf_counter() - before - 0.01)
        finally:
            gc.callbacks.remove(self._gc)


async def one_run(url: str, args: argparse.Namespace, workdir: Path) -> tuple[list[float], list[float]]:
    server = BotApiServer(World(), SIM_TOKEN, round_trip=args.rtt)
    await server.start()
    content = workdir / "content"  # as shipped, without report times (a report would join the broadcast)
    if not content.exists():
        shipped_content(content)
    bot = Bot(server, bot_env(server, url, content, ADMIN_IDS=str(ADMIN_ID), LOG_LEVEL="INFO"), workdir)
    for key in (
        "CHAT_BURST",
        "CHAT_RATE",
        "EXPIRE_EVERY_SECONDS",
        "GROUP_EVERY_SECONDS",
        "READING_EVERY_SECONDS",
    ):
        bot.env.pop(key, None)  # as shipped
    await bot.start()
    try:
        await seed(url, args.users, args.recipients)
        # The driver also plays Telegram: a collection of its large heap (the simulated world's every
        # message) paused it 114 ms, which held up its answers and its people's taps.
        gc.collect()
        gc.freeze()
        stalls = Stalls()
        watching = asyncio.create_task(stalls.watch())
        people = RemoteSimulator(server, bot)
        admin = people.user("管理员", user_id=ADMIN_ID)
        await admin.send("/broadcast")
        await admin.send(TEXT)
        await admin.press("全部用户")
        # every seeded user has a chat with the bot; the first `users` of them take quizzes
        everyone = [
            people.user(f"用户{i}", user_id=1000 + i) for i in range(max(args.users, args.recipients))
        ]
        takers = everyone[: args.users]
        await admin.press("确认发送")
        taps: list[float] = []
        rng = random.Random(7)
        until = time.perf_counter() + args.seconds
        await asyncio.gather(*(take_quiz(p, until, args.think, rng, taps) for p in takers))
        await eventually(
            lambda: any("群发完成" in (m.text or "") for m in admin.private.bot_messages),
            600,
            "the broadcast",
        )
        sent = sorted(
            m.at for chat in server.world.chats for m in server.world.bot_messages(chat) if m.text == LETTER
        )
        watching.cancel()
        print(
            f"  driver: longest loop lag {stalls.loop_lag * 1000:.0f} ms, longest gc {stalls.gc_pause * 1000:.0f} ms",
            flush=True,
        )
    finally:  # never leave a bot running on the database (it would take part in the next run)
        if bot.process is not None and bot.process.running:
            await bot.stop()
        await server.close()
    warned = [line for line in bot.log.lines if " WARNING " in line]
    if warned:
        print(f"  the bot logged {len(warned)} warnings, e.g. {warned[0]}", flush=True)
    errors = bot.log.failures()
    if errors:
        print(f"  the bot logged {len(errors)} errors, e.g. {errors[0]}", flush=True)
    return taps, sent


def per_second(times: list[float]) -> float:
    """Messages a second from the first to the last of `times` (sorted)."""
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


def window_max(times: list[float]) -> int:
    """The most sends in any one-second window."""
    most, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rtt", type=float, default=0.1, help="seconds each Bot API call takes")
    parser.add_argument("--recipients", type=int, default=1500)
    parser.add_argument("--think", type=float, default=3, help="seconds between a person's taps (jittered)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    rows = []
    for i in range(args.repeat):
        url = fresh_database(args.db, args.pg_url)
        with tempfile.TemporaryDirectory() as workdir:
            taps, sent = asyncio.run(one_run(url, args, Path(workdir)))
        cuts = statistics.quantiles(taps, n=100)
        rate, steady = per_second(sent), per_second([t for t in sent if t >= sent[0] + STEADY])
        rows.append((cuts[49], cuts[94], cuts[98], rate, steady, window_max(sent)))
        print(f"{args.db} run {i + 1}: {len(taps)} taps: p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms, p99 {cuts[98]:.0f} ms; "
              f"broadcast {len(sent)} messages at {rate:.1f}/s ({steady:.1f}/s after its first {STEADY} s), "
              f"at most {window_max(sent)} in any second", flush=True)  # fmt: skip
    if args.repeat > 1:
        med = [statistics.median(r[k] for r in rows) for k in range(6)]
        print(f"{args.db} median of {args.repeat}: p50 {med[0]:.0f} ms, p95 {med[1]:.0f} ms, p99 {med[2]:.0f} ms; "
              f"broadcast {med[3]:.1f}/s ({med[4]:.1f}/s after its first {STEADY} s), at most {med[5]:.0f} in any "
              f"second (each run: {', '.join(str(r[5]) for r in rows)})")  # fmt: skip


if __name__ == "__main__":
    main()

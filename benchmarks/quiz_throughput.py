"""Answers per second through the real Application (simulated Telegram, no network).

N users each take a 10-question practice quiz. Throughput: every round, all users answer their current
question at once (timed), then all press 下一题 (not timed). Latency: the same, but the round's answers
arrive one after another at a steady rate (`--pace`, answers/s; the default 100 is over three times
what Telegram lets a bot send, ~30 messages/s, and every answer edits a message), the load of a busy bot
that is not overrun; a burst of N at once measures queueing rather than the handler. CPU time per answer
(the whole process, database threads included) is printed too; answers/s near 1000 / that figure means
the run was bound by CPU, not by waiting. On a shared machine both drift (by a quarter within an hour,
seen here), so compare bot and ceiling of the same run: their ratio is the figure that travels.

Both run the production Application's rate limiter (bot/ratelimit.py). Its per-chat pace is meant for
people (a burst, then two messages a second in one chat); these simulated users tap far faster than
anyone can, so the benchmark raises that pace through settings (CHAT_BURST, CHAT_RATE: printed) and
measures what the bot can serve. benchmarks/load.py drives it at human pace with the defaults.

The same figures are printed for a ceiling handler that answers each button press with one database
insert and one message edit, and the ratio of the two. The ceiling is sent the very same button presses
(the same question messages, text and keyboard), so the two differ only in what the handler does. Runs
alternate bot and ceiling `--repeat` times on a fresh database each; medians are printed.

    python -m benchmarks.quiz_throughput [--users 50] [--db sqlite|postgresql|both] [--repeat 3] [--pace 100]
                                         [--pg-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes

from benchmarks.common import PG_URL, count_statements, fresh_database, percentiles, services_for
from bot.app import build_application, on_startup
from bot.db.models import User, utcnow
from bot.domain import Role
from bot.ratelimit import ChatPacing
from bot.runtime import Services, new_event_loop
from bot.sim import Simulator, SimUser, World
from bot.sim.simulator import SIM_TOKEN, SimMessage, SimRequest

QUESTIONS = 10
Press = tuple[str, dict[str, Any], int]  # the pressed message's text and keyboard, the button's index


@dataclass
class Tally:
    """The timed rounds of one run: all users at once, or at the steady pace."""

    answers: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds the process used meanwhile
    latencies: list[float] = field(default_factory=list)  # ms

    @property
    def rate(self) -> float:
        return self.answers / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.answers * 1000


@dataclass
class Figures:
    burst: Tally  # throughput, and latencies that are mostly waiting in line
    paced: Tally  # latencies at the steady rate


async def _round(presses: list[tuple[SimUser, int, SimMessage]], pace: float | None, tally: Tally) -> None:
    """Press every button of a round, all at once or `pace` per second."""

    async def one(i: int, user: SimUser, label: int, message: SimMessage) -> None:
        if pace:
            await asyncio.sleep(i / pace)
        started = time.perf_counter()
        await user.press(label, message=message)
        tally.latencies.append((time.perf_counter() - started) * 1000)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i, *press) for i, press in enumerate(presses)))
    tally.seconds += time.perf_counter() - started
    tally.cpu += time.process_time() - cpu
    tally.answers += len(presses)


async def bench_bot(
    services: Services, users: int, pace: float | None, first_id: int
) -> tuple[Tally, Counter[str], list[list[Press]]]:
    """The bot's figures, the statements its answers ran and what it showed each user, round by round."""
    world = World()
    app = build_application(services, request=SimRequest(world), token=SIM_TOKEN)
    sim = Simulator(app, world)
    people = [sim.user(f"用户{i}", user_id=first_id + i) for i in range(users)]
    async with app:
        await on_startup(app)
        async with services.db.transaction() as session:
            for person in people:
                session.add(User(id=person.id, language="zh", role=Role.staff, school_id="cg-j1",
                                 registered_at=utcnow()))  # fmt: skip
        current = {}
        for person in people:
            await person.send("/quiz")
            await person.press("《宪法》")
            current[person.id] = (await person.press("练习 10 题"))[-1]
        tally = Tally()
        rounds: list[list[Press]] = []
        with count_statements(services.db) as statements:
            counted: Counter[str] = Counter()
            for round_ in range(QUESTIONS):
                buttons = {}
                for person in people:  # a multiple-choice question is ticked first (not timed)
                    multiple = "✅ 提交" in current[person.id].button_texts
                    if multiple:
                        await person.press(0, message=current[person.id])
                    buttons[person.id] = current[person.id].button_texts.index("✅ 提交") if multiple else 0
                rounds.append([(current[p.id].text or "", copy.deepcopy(current[p.id].reply_markup or {}),
                                buttons[p.id]) for p in people])  # fmt: skip
                before = len(statements)
                await _round([(p, buttons[p.id], current[p.id]) for p in people], pace, tally)
                counted.update(statements[before:])
                if round_ < QUESTIONS - 1:
                    for person in people:
                        current[person.id] = (await person.press("下一题", message=current[person.id]))[-1]
        await app.shutdown()
    return tally, counted, rounds


async def bench_ceiling(services: Services, rounds: list[list[Press]], pace: float | None) -> Tally:
    """One insert and one message edit per button press: the least an answer can cost. Each round,
    every user is sent the message the bot showed them and presses the same button."""
    table = Table(
        "bench_ceiling", MetaData(), Column("id", Integer, primary_key=True), Column("data", String(64))
    )
    async with services.db.engine.begin() as conn:
        await conn.run_sync(table.metadata.create_all)

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        async with services.db.transaction() as session:
            await session.execute(insert(table).values(data=query.data))
        await query.edit_message_text(f"recorded {query.id}", reply_markup=query.message.reply_markup)  # type: ignore[union-attr]

    world = World()
    request = SimRequest(world)
    settings = services.settings
    pacing = ChatPacing(chat_burst=settings.chat_burst, chat_rate=settings.chat_rate)  # as the bot's
    app = (ApplicationBuilder().token(SIM_TOKEN).request(request).get_updates_request(request)
           .rate_limiter(pacing).concurrent_updates(True).build())  # type: ignore[arg-type]  # fmt: skip
    app.add_handler(CallbackQueryHandler(handler))
    sim = Simulator(app, world)
    people = [sim.user(f"用户{i}", user_id=700000 + i) for i in range(len(rounds[0]))]
    tally = Tally()
    async with app:
        for presses in rounds:
            round_ = []
            for person, (text, markup, button) in zip(people, presses, strict=True):
                keyboard = InlineKeyboardMarkup.de_json(markup, app.bot)
                sent = await app.bot.send_message(person.id, text, reply_markup=keyboard)
                round_.append((person, button, world.messages[(person.id, sent.message_id)]))
            await _round(round_, pace, tally)
    return tally


# Simulated users tap far faster than people: the per-chat pace (meant for people) is raised so that the
# bot's capacity, not Telegram's per-chat rule, is measured.
SUPERHUMAN: dict[str, object] = {"chat_burst": 1000, "chat_rate": 1000}


def run(kind: str, users: int, repeat: int, pace: float, pg_url: str) -> None:
    print(f"{kind:10s} per-chat pace raised for simulated users: {SUPERHUMAN}")
    bot: list[Figures] = []
    ceiling: list[Figures] = []
    statements: Counter[str] = Counter()

    async def once(url: str, first_id: int) -> None:
        services = services_for(url, settings=SUPERHUMAN)
        burst, counted, rounds = await bench_bot(services, users, None, first_id)
        ceiling_burst = await bench_ceiling(services, rounds, None)
        paced, _, rounds = await bench_bot(services, users, pace, first_id + users)
        ceiling_paced = await bench_ceiling(services, rounds, pace)
        await services.close()
        bot.append(Figures(burst, paced))
        ceiling.append(Figures(ceiling_burst, ceiling_paced))
        statements.update(counted)

    for i in range(repeat):
        url = fresh_database(kind, pg_url)
        with asyncio.Runner(loop_factory=new_event_loop) as runner:  # the loop `python -m bot run` uses
            runner.run(once(url, 500000 + 2 * users * i))
        b, c = bot[-1].burst, ceiling[-1].burst
        print(f"{kind:10s} run {i + 1}: bot {b.rate:5.0f}/s ({b.cpu_ms:.2f} ms CPU each), ceiling "
              f"{c.rate:5.0f}/s ({c.cpu_ms:.2f} ms), ratio {b.rate / c.rate:.2f}")  # fmt: skip
    answers = users * QUESTIONS * repeat
    per_answer = ", ".join(f"{k} {v / answers:.1f}" for k, v in sorted(statements.items()))
    print(f"{kind:10s} statements per answer: {sum(statements.values()) / answers:.1f} ({per_answer})")
    for name, figures in (("bot", bot), ("ceiling", ceiling)):
        rate = statistics.median(f.burst.rate for f in figures)
        cpu_ms = statistics.median(f.burst.cpu_ms for f in figures)
        p50, p99 = percentiles([ms for f in figures for ms in f.paced.latencies])
        b50, b99 = percentiles([ms for f in figures for ms in f.burst.latencies])
        print(f"{kind:10s} {name + ':':8s} {rate:5.0f} answers/s, {cpu_ms:.2f} ms CPU each (median of {repeat}; "
              f"{users} users at once: p50 {b50:5.1f} ms, p99 {b99:5.1f} ms)   at {pace:.0f} answers/s: "
              f"p50 {p50:4.1f} ms, p99 {p99:4.1f} ms")  # fmt: skip
    ratio = statistics.median(b.burst.rate for b in bot) / statistics.median(c.burst.rate for c in ceiling)
    print(f"{kind:10s} ratio bot/ceiling: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (medians are printed)")
    parser.add_argument("--pace", type=float, default=100, help="answers/s for the latency figures")
    parser.add_argument(
        "--pg-url", default=PG_URL, help=f"PostgreSQL database to wipe and use (default {PG_URL})"
    )
    args = parser.parse_args()
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        run(kind, args.users, args.repeat, args.pace, args.pg_url)


if __name__ == "__main__":
    main()

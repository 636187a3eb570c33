"""Answers per second through the real Application (simulated Telegram, no network).

N users each take a 10-question practice quiz. Throughput: every round, all users answer their current
question at once (timed), then all press 下一题 (not timed). Latency: the same, but the round's answers
arrive one after another at a steady rate (`--pace`, answers/s; the default 100 is over three times
what Telegram lets a bot send, ~30 messages/s, and every answer edits a message), the load of a busy bot
that is not overrun; a burst of N at once measures queueing rather than the handler.

The same figures are printed for a ceiling handler that answers each button press with one database
insert and one message edit, and the ratio of the two. The ceiling is sent the very same button presses
(the same question messages, text and keyboard), so the two differ only in what the handler does. Runs
alternate bot and ceiling `--repeat` times on a fresh database each; medians are printed.

    python -m benchmarks.quiz_throughput [--users 50] [--db sqlite|postgresql|both] [--repeat 3] [--pace 100]
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

from benchmarks.common import count_statements, fresh_database, percentiles, services_for
from bot.app import build_application, on_startup
from bot.db.models import Role, User, utcnow
from bot.runtime import Services, new_event_loop
from bot.sim import Simulator, SimUser, World
from bot.sim.simulator import SIM_TOKEN, SimMessage, SimRequest

QUESTIONS = 10
Press = tuple[str, dict[str, Any], int]  # the pressed message's text and keyboard, the button's index


@dataclass
class Figures:
    rate: float  # answers per second, all users answering at once
    burst: list[float] = field(default_factory=list)  # latencies (ms) then: mostly waiting in line
    paced: list[float] = field(default_factory=list)  # latencies (ms) at the steady rate


async def _round(
    presses: list[tuple[SimUser, int, SimMessage]], pace: float | None, latencies: list[float]
) -> float:
    """Press every button of a round, all at once or `pace` per second; returns the seconds it took."""

    async def one(i: int, user: SimUser, label: int, message: SimMessage) -> None:
        if pace:
            await asyncio.sleep(i / pace)
        started = time.perf_counter()
        await user.press(label, message=message)
        latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one(i, *press) for i, press in enumerate(presses)))
    return time.perf_counter() - started


async def bench_bot(
    services: Services, users: int, pace: float | None, first_id: int
) -> tuple[float, list[float], Counter[str], list[list[Press]]]:
    world = World()
    app = build_application(services, request=SimRequest(world), token=SIM_TOKEN, rate_limit=False)
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
        latencies: list[float] = []
        answering = 0.0
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
                answering += await _round(
                    [(p, buttons[p.id], current[p.id]) for p in people], pace, latencies
                )
                counted.update(statements[before:])
                if round_ < QUESTIONS - 1:
                    for person in people:
                        current[person.id] = (await person.press("下一题", message=current[person.id]))[-1]
        await app.shutdown()
    return users * QUESTIONS / answering, latencies, counted, rounds


async def bench_ceiling(
    services: Services, rounds: list[list[Press]], pace: float | None
) -> tuple[float, list[float]]:
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
    app = (ApplicationBuilder().token(SIM_TOKEN).request(request).get_updates_request(request)
           .concurrent_updates(True).build())  # fmt: skip
    app.add_handler(CallbackQueryHandler(handler))
    sim = Simulator(app, world)
    people = [sim.user(f"用户{i}", user_id=700000 + i) for i in range(len(rounds[0]))]
    latencies: list[float] = []
    elapsed = 0.0
    async with app:
        for presses in rounds:
            round_ = []
            for person, (text, markup, button) in zip(people, presses, strict=True):
                keyboard = InlineKeyboardMarkup.de_json(markup, app.bot)
                sent = await app.bot.send_message(person.id, text, reply_markup=keyboard)
                round_.append((person, button, world.messages[(person.id, sent.message_id)]))
            elapsed += await _round(round_, pace, latencies)
    return sum(len(presses) for presses in rounds) / elapsed, latencies


def run(kind: str, users: int, repeat: int, pace: float) -> None:
    bot: list[Figures] = []
    ceiling: list[Figures] = []
    statements: Counter[str] = Counter()

    async def once(url: str, first_id: int) -> None:
        services = services_for(url)
        rate, burst, counted, rounds = await bench_bot(services, users, None, first_id)
        ceiling_rate, ceiling_burst = await bench_ceiling(services, rounds, None)
        _, paced, _, rounds = await bench_bot(services, users, pace, first_id + users)
        _, ceiling_paced = await bench_ceiling(services, rounds, pace)
        await services.close()
        bot.append(Figures(rate, burst, paced))
        ceiling.append(Figures(ceiling_rate, ceiling_burst, ceiling_paced))
        statements.update(counted)

    for i in range(repeat):
        url = fresh_database(kind)
        with asyncio.Runner(loop_factory=new_event_loop) as runner:  # the loop `python -m bot run` uses
            runner.run(once(url, 500000 + 2 * users * i))
        print(f"{kind:10s} run {i + 1}: bot {bot[-1].rate:5.0f}/s, ceiling {ceiling[-1].rate:5.0f}/s, "
              f"ratio {bot[-1].rate / ceiling[-1].rate:.2f}")  # fmt: skip
    answers = users * QUESTIONS * repeat
    per_answer = ", ".join(f"{k} {v / answers:.1f}" for k, v in sorted(statements.items()))
    print(f"{kind:10s} statements per answer: {sum(statements.values()) / answers:.1f} ({per_answer})")
    for name, figures in (("bot", bot), ("ceiling", ceiling)):
        rate = statistics.median(f.rate for f in figures)
        p50, p99 = percentiles([ms for f in figures for ms in f.paced])
        b50, b99 = percentiles([ms for f in figures for ms in f.burst])
        print(f"{kind:10s} {name + ':':8s} {rate:5.0f} answers/s (median of {repeat}, {users} users at once: "
              f"p50 {b50:5.1f} ms, p99 {b99:5.1f} ms)   at {pace:.0f} answers/s: p50 {p50:4.1f} ms, "
              f"p99 {p99:4.1f} ms")  # fmt: skip
    ratio = statistics.median(b.rate for b in bot) / statistics.median(c.rate for c in ceiling)
    print(f"{kind:10s} ratio bot/ceiling: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (medians are printed)")
    parser.add_argument("--pace", type=float, default=100, help="answers/s for the latency figures")
    args = parser.parse_args()
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        run(kind, args.users, args.repeat, args.pace)


if __name__ == "__main__":
    main()

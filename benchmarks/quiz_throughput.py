"""Answers per second through the real Application (simulated Telegram, no network).

N users each take a 10-question practice quiz; every round, all users answer their current question at
once (timed), then all press 下一题 (not timed). The same figures are printed for a ceiling handler that
answers each button press with one database insert and one message edit, and the ratio of the two.

    python -m benchmarks.quiz_throughput [--users 50] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter

from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes

from benchmarks.common import count_statements, fresh_database, percentiles, services_for
from bot.app import build_application, on_startup
from bot.db.models import Role, User, utcnow
from bot.runtime import Services
from bot.sim import Simulator, SimUser, World
from bot.sim.simulator import SIM_TOKEN, SimRequest

QUESTIONS = 10


async def timed_press(user: SimUser, label: int, message, latencies: list[float]) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    await user.press(label, message=message)
    latencies.append((time.perf_counter() - started) * 1000)


async def bench_bot(services: Services, users: int) -> tuple[float, list[float], Counter[str]]:
    world = World()
    app = build_application(services, request=SimRequest(world), token=SIM_TOKEN, rate_limit=False)
    sim = Simulator(app, world)
    people = [sim.user(f"用户{i}", user_id=500000 + i) for i in range(users)]
    async with app:
        await on_startup(app)
        async with services.db.transaction() as session:
            for person in people:
                session.add(
                    User(
                        id=person.id,
                        language="zh",
                        role=Role.staff,
                        school_id="cg-j1",
                        registered_at=utcnow(),
                    )
                )
        current = {}
        for person in people:
            await person.send("/quiz")
            await person.press("《宪法》")
            current[person.id] = (await person.press("练习 10 题"))[-1]
        latencies: list[float] = []
        answering = 0.0
        with count_statements(services.db) as statements:
            counted: Counter[str] = Counter()
            for round_ in range(QUESTIONS):
                buttons = {}
                for (
                    person
                ) in people:  # a multiple-choice question is ticked first (not timed), then submitted
                    multiple = "✅ 提交" in current[person.id].button_texts
                    if multiple:
                        await person.press(0, message=current[person.id])
                    buttons[person.id] = current[person.id].button_texts.index("✅ 提交") if multiple else 0
                before = len(statements)
                started = time.perf_counter()
                await asyncio.gather(
                    *(timed_press(p, buttons[p.id], current[p.id], latencies) for p in people)
                )
                answering += time.perf_counter() - started
                counted.update(statements[before:])
                if round_ < QUESTIONS - 1:
                    for person in people:
                        current[person.id] = (await person.press("下一题", message=current[person.id]))[-1]
        await app.shutdown()
    return users * QUESTIONS / answering, latencies, counted


async def bench_ceiling(services: Services, users: int) -> tuple[float, list[float]]:
    """One insert and one message edit per button press: the least an answer can cost."""
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
    people = [sim.user(f"用户{i}", user_id=700000 + i) for i in range(users)]
    latencies: list[float] = []
    async with app:
        messages = {}
        for person in people:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="x:1")]])
            sent = await app.bot.send_message(person.id, "question", reply_markup=markup)
            messages[person.id] = world.messages[(person.id, sent.message_id)]
        started = time.perf_counter()
        for _ in range(QUESTIONS):
            await asyncio.gather(*(timed_press(p, 0, messages[p.id], latencies) for p in people))
        elapsed = time.perf_counter() - started
    return users * QUESTIONS / elapsed, latencies


def run(kind: str, users: int) -> None:
    url = fresh_database(kind)
    services = services_for(url)

    async def both() -> None:
        rate, latencies, statements = await bench_bot(services, users)
        ceiling, ceiling_latencies = await bench_ceiling(services, users)
        await services.close()
        p50, p99 = percentiles(latencies)
        c50, c99 = percentiles(ceiling_latencies)
        answers = users * QUESTIONS
        per_answer = ", ".join(f"{k} {v / answers:.1f}" for k, v in sorted(statements.items()))
        print(
            f"{kind:10s} bot:     {rate:7.0f} answers/s  p50 {p50:5.1f} ms  p99 {p99:5.1f} ms  "
            f"statements per answer: {sum(statements.values()) / answers:.1f} ({per_answer})"
        )
        print(f"{kind:10s} ceiling: {ceiling:7.0f} answers/s  p50 {c50:5.1f} ms  p99 {c99:5.1f} ms")
        print(f"{kind:10s} ratio bot/ceiling: {rate / ceiling:.2f}")

    asyncio.run(both())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        run(kind, args.users)


if __name__ == "__main__":
    main()

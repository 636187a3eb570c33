"""Pictures and files are built after the update's transaction has ended and off the event loop: while a
certificate, an export or the charts are being drawn (held up here until told to go on), the update's
work is committed and another user's /help is answered. Were the drawing done on the loop, or inside
the transaction (which on SQLite every other update waits for), these tests would fail on a timeout
instead of hanging."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pytest
from sqlalchemy import func, select

from bot.db.models import AuditEntry, User
from bot.runtime import Services
from bot.sim import SimMessage, Simulator
from bot.workers import Workers
from tests.conftest import ADMIN_ID
from tests.handlers.test_campaigns import CONSTITUTION_DAY, pupil, take_contest

WAIT = 5.0  # seconds
P = ParamSpec("P")
R = TypeVar("R")


class GatedWorkers(Workers):
    """Runs work in threads of this process, each call first waiting for `gate` (at most WAIT s)."""

    def __init__(self) -> None:
        super().__init__(processes=0)
        self.started = threading.Event()
        self.gate = threading.Event()

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        def gated() -> R:
            self.started.set()
            if not self.gate.wait(WAIT):
                raise TimeoutError("the test never let the rendering go on")
            return fn(*args, **kwargs)

        return await asyncio.to_thread(gated)


async def while_rendering(
    sim: Simulator,
    services: Services,
    request: Coroutine[Any, Any, list[SimMessage]],
    committed: Callable[[], Awaitable[bool]],
) -> list[SimMessage]:
    """Start `request`; once its rendering has begun (and waits), check that its transaction has been
    committed and that another user is answered; then let the rendering finish. Returns what `request`
    was sent."""
    workers = GatedWorkers()
    services.workers = workers
    task = asyncio.create_task(request)
    try:
        assert await asyncio.to_thread(workers.started.wait, WAIT), "nothing was handed to the workers"
        assert await asyncio.wait_for(committed(), WAIT), "the transaction is still open while drawing"
        [reply] = await asyncio.wait_for(sim.user("路人").send("/help"), WAIT)
        assert "/quiz" in (reply.text or "")
        assert not task.done()  # still drawing: /help did not wait for it
    finally:
        workers.gate.set()
    return await asyncio.wait_for(task, WAIT)


async def test_a_certificate_is_drawn_after_the_transaction_and_off_the_loop(
    sim: Simulator, services: Services
) -> None:
    student = await pupil(sim, "张三")
    await take_contest(sim, services, student, right=14)
    await student.press("领取证书", message=student.last)

    async def name_cleared() -> bool:  # done by the update that is drawing the certificate
        async with services.db.transaction() as session:
            stored = await session.get(User, student.id)
            return stored is not None and stored.awaiting is None

    assert not await name_cleared()
    [sent] = await while_rendering(sim, services, student.send("张三"), name_cleared)
    assert sent.photo is not None and "电子证书" in (sent.caption or "")


async def test_an_export_is_built_after_the_transaction_and_off_the_loop(
    sim: Simulator, services: Services
) -> None:
    await take_contest(sim, services, await pupil(sim, "甲"), 12)
    admin = sim.user("管理员", user_id=ADMIN_ID)

    async def audited() -> bool:  # the export's audit entry, written in its transaction
        async with services.db.transaction() as session:
            count = await session.scalar(select(func.count()).where(AuditEntry.action == "export"))
            return count == 1

    assert not await audited()
    sent = await while_rendering(sim, services, admin.send(f"/export {CONSTITUTION_DAY}"), audited)
    assert [m.document is not None for m in sent] == [True, True]


async def test_charts_are_drawn_after_the_transaction_and_off_the_loop(
    sim: Simulator, services: Services
) -> None:
    await take_contest(sim, services, await pupil(sim, "甲"), 12)
    admin = sim.user("管理员", user_id=ADMIN_ID)

    async def free() -> bool:  # on SQLite, a transaction can begin only when the chart's has ended
        async with services.db.transaction():
            return True

    sent = await while_rendering(sim, services, admin.send(f"/chart {CONSTITUTION_DAY}"), free)
    assert len(sent) == 2 and all(m.photo is not None for m in sent)


async def test_charts_drawn_without_a_chinese_font_say_so(
    sim: Simulator, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An admins' pass on a server without a CJK font got charts in pinyin and English and no word why."""
    import bot.handlers.stats

    await take_contest(sim, services, await pupil(sim, "甲"), 12)
    admin = sim.user("管理员", user_id=ADMIN_ID)
    for font, said in ((None, True), (Path("/fonts/cjk.ttc"), False)):
        monkeypatch.setattr(bot.handlers.stats, "find_cjk_font", lambda font=font: font)
        await admin.send(f"/chart {CONSTITUTION_DAY}")
        first, second = admin.private.bot_messages[-2:]
        assert ("没有能显示中文的字体" in (first.caption or "")) is said and not second.caption

"""Two `python -m bot run` workers in webhook mode behind a load balancer, on one PostgreSQL database, as
the README describes scaling out: a broadcast reaches each recipient once, and both workers together keep
the one bulk budget (Telegram limits the bot, not each process)."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientError, ClientSession, web

from bot.sim.http import BotApiServer
from tests.blackbox.harness import Bot, RemoteSimulator, bot_env, eventually
from tests.blackbox.test_webhook import SECRET, free_ports
from tests.conftest import ADMIN_ID, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="several workers need PostgreSQL: an SQLite file is served by one process at a time",
)

TEXT = "12月4日是国家宪法日，欢迎参加宪法知识竞赛！"
LETTER = f"📢 通知\n\n{TEXT}"  # as recipients get it
RATE = 10  # BULK_RATE, lowered so that the broadcast is long enough to show the rate yet quick


class LoadBalancer:
    """Passes each webhook POST to the next worker in turn (the other one when it does not answer)."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = targets
        self._next = itertools.cycle(range(len(targets)))
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None

    async def start(self, port: int) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self._client = ClientSession()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._client is not None
        body, headers = await request.read(), {k: v for k, v in request.headers.items() if k.startswith("X-")}
        headers["Content-Type"] = request.content_type
        for _ in self.targets:
            try:
                target = self.targets[next(self._next)]
                async with self._client.post(target, data=body, headers=headers) as response:
                    return web.Response(status=response.status, body=await response.read())
            except ClientError:
                continue
        return web.Response(status=502)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()


class Workers:
    """The workers as the simulated people's `bot`: an update is handled when either logged it."""

    def __init__(self, workers: list[Bot]) -> None:
        self.workers = workers

    async def handled(self, update_id: int, timeout: float = 20) -> None:
        await eventually(
            lambda: any(update_id in w.log.handled for w in self.workers), timeout, f"update {update_id}"
        )


async def listening(port: int) -> None:
    """Wait until a worker's webhook server takes connections."""
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture
async def workers(
    api: BotApiServer, blackbox_database: str, content_dir: Path, tmp_path: Path
) -> AsyncIterator[list[Bot]]:
    balancer_port, *ports = free_ports(3)
    balancer = LoadBalancer([f"http://127.0.0.1:{port}/hook" for port in ports])
    await balancer.start(balancer_port)
    started = [
        Bot(
            api,
            bot_env(
                api,
                blackbox_database,
                content_dir,
                ADMIN_IDS=str(ADMIN_ID),
                WEBHOOK_URL=f"http://127.0.0.1:{balancer_port}/hook",
                WEBHOOK_LISTEN="127.0.0.1",
                WEBHOOK_PORT=str(port),
                WEBHOOK_SECRET=SECRET,
                BULK_RATE=str(RATE),
                BULK_CONCURRENCY="4",
            ),
            tmp_path,
        )  # fmt: skip
        for port in ports
    ]
    try:
        yield started
    finally:
        for worker in started:
            if worker.process is not None and worker.process.running:
                assert await worker.stop() == 0
        await balancer.close()
    for worker in started:
        assert not worker.log.failures(), "a worker logged errors:\n" + "\n".join(worker.log.lines[-60:])


async def test_two_workers_send_a_broadcast_once_each_within_one_shared_budget(
    api: BotApiServer, workers: list[Bot]
) -> None:
    for worker in workers:  # one after the other: the first migrates the empty database
        api.webhook = None  # started once it has told Telegram where to post
        await worker.start()
        await listening(int(worker.env["WEBHOOK_PORT"]))
    people = RemoteSimulator(api, workers[0])
    people.bot = Workers(workers)  # type: ignore[assignment]
    users = [people.user(f"用户{i}") for i in range(40)]
    for user in users:
        await user.send("/start")
    assert all(any("update=" in line for line in w.log.lines) for w in workers)  # both serve updates
    admin = people.user("管理员", user_id=ADMIN_ID)
    await admin.send("/broadcast")
    await admin.send(TEXT)
    await admin.press("全部用户")
    await admin.press("确认发送")
    await eventually(
        lambda: any("群发完成" in (m.text or "") for m in admin.private.bot_messages), 60, "the report"
    )

    copies = [sum(m.text == LETTER for m in u.private.bot_messages) for u in users + [admin]]
    assert copies == [1] * 41  # each recipient once, though two workers sent the broadcast

    def shares() -> list[int]:
        return [
            sum(int(n) for n in re.findall(r"sent (\d+) broadcast messages", "\n".join(w.log.lines)))
            for w in workers
        ]

    def all_logged() -> list[int] | None:
        logged = shares()
        return logged if sum(logged) == 41 else None

    # each worker logs its part when its job run ends, which may come just after the report
    both = await eventually(all_logged, 10, "all 41 sends logged")
    assert min(both) > 0, both  # both took part
    times = sorted(m.at for u in users + [admin] for m in u.private.bot_messages if m.text == LETTER)
    assert all(b - a >= 1.0 for a, b in zip(times, times[RATE:], strict=False)), (
        f"more than {RATE} in one second"
    )

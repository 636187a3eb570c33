"""Webhook mode through `python -m bot run`: Telegram's updates are served; a POST without the secret
header, or with a wrong one, is refused and changes nothing; no secret, no start."""

from __future__ import annotations

import asyncio
import socket
import sys

from aiohttp import ClientSession

from tests.blackbox.harness import Bot, RemoteSimulator
from tests.conftest import ADMIN_ID

SECRET = "s3cret-token_for-tests"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(n: int) -> list[int]:
    """`n` distinct ports nothing listens on: the probes stay bound until all are chosen (a port let go
    can be handed out again at once, and two workers given the same one failed in CI)."""
    probes = [socket.socket() for _ in range(n)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


async def test_webhook_serves_telegram_and_refuses_forged_updates(bot: Bot, people: RemoteSimulator) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    await bot.start(
        WEBHOOK_URL=url, WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), WEBHOOK_SECRET=SECRET
    )
    assert people.server.webhook == (url, SECRET)  # the bot told Telegram where, and the secret
    user = people.user("小明")
    [menu] = await user.send("/start")
    assert "普法助手" in menu.text
    # an attacker who knows the URL and the super admin's id posts an update of their own
    target = people.user("路人")
    await target.send("/myid")  # a user the grant could go to
    admin = people.user("管理员", user_id=ADMIN_ID)
    forged = admin.message_payload(f"/grant {target.id} district")
    async with ClientSession() as client:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            forged["update_id"] = 900 + len(headers)
            async with client.post(url, json=forged, headers=headers) as response:
                assert response.status == 403
    await asyncio.sleep(0.5)
    assert not admin.private.bot_messages  # nothing was handled: no grant was made
    assert not any("update=90" in line for line in bot.log.lines)
    [refused] = await target.send("/stats")
    assert "只有管理员" in refused.text  # no grant was made


async def test_webhook_mode_does_not_start_without_a_secret(bot: Bot, people: RemoteSimulator) -> None:
    port = free_port()
    env = {**bot.env, "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "WEBHOOK_PORT": str(port)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=bot.cwd, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2 and "WEBHOOK_SECRET" in err.decode()
    assert people.server.webhook is None and people.server.polls == 0  # Telegram was never asked

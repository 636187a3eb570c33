"""`python -m bot console` runs the bot's jobs too: a broadcast sent from the console reaches the
console's own user, who is in its audience. It is no deployed bot: it writes no liveness file (one next
to a running bot would overwrite that bot's) and warns of no failed health check, but of a missing
Chinese font, as `run` does."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.render.typeset import find_cjk_font
from tests.blackbox.harness import Bot


async def test_the_console_runs_the_jobs(bot: Bot) -> None:
    status = Path(bot.cwd) / "console-status.json"
    env = {**bot.env, "ADMIN_IDS": "10001", "BROADCAST_EVERY_SECONDS": "0.2", "HEALTH_EVERY_SECONDS": "0.2",
           "STATUS_FILE": str(status)}  # fmt: skip
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "console", cwd=bot.cwd, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    output = ""

    async def read_until(text: str) -> None:
        nonlocal output
        async with asyncio.timeout(30):
            while text not in output:
                chunk = await proc.stdout.read(4096)  # type: ignore[union-attr]
                assert chunk, f"the console ended before showing {text!r}:\n{output}"
                output += chunk.decode()

    await read_until("普法助手")
    for line, shown in (
        ("/broadcast", "群发"),
        ("宪法晨读明早七点半开始", "全部用户"),
        ("1", "确认发送"),
        ("1", ""),
    ):
        proc.stdin.write(f"{line}\n".encode())
        await proc.stdin.drain()
        await read_until(shown)
    await read_until("群发完成")  # sent by the broadcast job, with nobody typing
    assert output.count("🤖 📢 通知\n\n宪法晨读明早七点半开始") == 1
    proc.stdin.write(b":q\n")
    await proc.stdin.drain()
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    assert not status.exists() and "health check failed" not in output
    # as `run`, it says why certificates and charts would be in pinyin (it had said nothing)
    assert ("WARNING: no font that draws Chinese" in output) == (find_cjk_font() is None)

"""A broadcast to 50 users through `python -m bot run`: each receives it exactly once, at no more than
BULK_RATE messages in any one-second window, also when the bot is killed mid-send and restarted;
a user who blocked the bot is marked inactive."""

from __future__ import annotations

import asyncio
import re

from sqlalchemy import select

from bot.db.models import User
from bot.db.session import Database
from tests.blackbox.harness import Bot, RemoteSimulator, eventually
from tests.conftest import ADMIN_ID

TEXT = "12月4日是国家宪法日，欢迎参加宪法知识竞赛！"
LETTER = f"📢 通知\n\n{TEXT}"  # as recipients get it: a notice, not a reply
IN_FLIGHT = 4  # BULK_CONCURRENCY: sends under way at once


async def test_a_broadcast_reaches_everyone_once_at_the_rate_limit_across_a_kill(
    bot: Bot, people: RemoteSimulator, blackbox_database: str
) -> None:
    await bot.start(BULK_RATE="20", BULK_CONCURRENCY=str(IN_FLIGHT))
    users = [people.user(f"用户{i}") for i in range(50)]
    await asyncio.gather(*(u.send("/start") for u in users))
    people.world.blocked.add(users[7].id)
    admin = people.user("管理员", user_id=ADMIN_ID)
    await admin.send("/broadcast")
    await admin.send(TEXT)
    await admin.press("全部用户")
    assert "共 51 人" in admin.last.text  # the 50 and the admin
    await admin.press("确认发送")

    def received() -> list[float]:
        return sorted(m.at for u in users for m in u.private.bot_messages if m.text == LETTER)

    await eventually(lambda: len(received()) >= 15, 20, "15 deliveries")
    await bot.kill()  # SIGKILL mid-send: no chance to tidy up
    killed_at = len(received())
    assert killed_at < 49, "the kill came too late to interrupt anything"
    await bot.start(BULK_RATE="20", BULK_CONCURRENCY=str(IN_FLIGHT))
    done = await eventually(
        lambda: next((m for m in admin.private.bot_messages if "群发完成" in (m.text or "")), None),
        30,
        "the report",
    )
    copies = [sum(m.text == LETTER for m in u.private.bot_messages) for u in users]
    assert max(copies) == 1 and copies[7] == 0  # nobody twice; the blocked user not at all
    # which broadcast, the counts, and the unknown ones only when there are any
    report = re.search(r"群发完成（「.+」）：已送达 (\d+) 人，(\d+) 人已屏蔽机器人，(\d+) 人失败。(?:另有 (\d+) 人状态不明)?",
                       done.text)  # fmt: skip
    assert report is not None, done.text
    sent, blocked, failed, unknown = (int(g or 0) for g in report.groups())
    # the deliveries in flight at the kill are unknown: each may or may not have arrived
    missing = copies.count(0) - 1
    assert (blocked, failed) == (1, 0) and missing <= unknown <= IN_FLIGHT and sent + unknown == 50
    assert sum(m.text == LETTER for m in admin.private.bot_messages) == 1  # the admin is in "all" too
    times = received()
    assert all(b - a >= 1.0 for a, b in zip(times, times[20:], strict=False)), "more than 20 in one second"
    db = Database(blackbox_database)
    async with db.transaction() as session:
        row = await session.scalar(select(User).where(User.id == users[7].id))
        assert row is not None and not row.active
    await db.dispose()

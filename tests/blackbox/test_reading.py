"""The daily Constitution reading (宪法晨读) through `python -m bot run`: a campaign whose reading time is
a few seconds from now, in a content folder of the test's own; delivered at that time, exactly once,
also when the bot is restarted at that moment."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.blackbox.harness import Bot, RemoteSimulator, eventually, open_around, shipped_content
from tests.handlers.helpers import registered


def reading_at(content: Path, at: datetime) -> None:
    """The shipped content in `content`, with the Constitution Day campaign open around `at` and its
    reading (第一条 on that day) due at `at`, local time."""
    path = open_around(shipped_content(content), "constitution-day-2026", at)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  time: .*$", f'  time: "{at:%H:%M:%S}"', text)
    plan = f"  plan:\n    - {{day: {at:%Y-%m-%d}, law: constitution, article: 1}}\n"
    text = text[: text.index("  plan:\n")] + plan
    path.write_text(text, encoding="utf-8")


def readings(user) -> list:  # type: ignore[no-untyped-def]
    return [m for m in user.private.bot_messages if (m.text or "").startswith("📖 宪法晨读")]


async def test_the_reading_arrives_at_its_time_once_across_a_restart(
    bot: Bot, people: RemoteSimulator, tmp_path: Path
) -> None:
    # far enough ahead for the start and two registrations on a slow machine (8 s had been passed once in
    # CI before the pupils subscribed, and the reading came at once)
    at = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(seconds=20)).replace(microsecond=0)
    reading_at(tmp_path / "content", at)
    settings = {"CONTENT_DIR": str(tmp_path / "content"), "TIMEZONE": "Asia/Shanghai"}
    await bot.start(**settings)
    pupils = [await registered(people, role="学生", name=name) for name in ("王五", "赵六")]
    for pupil in pupils:
        await pupil.send("/campaign")
        await pupil.press("宪法宣传周")
        await pupil.press("订阅晨读")
        assert "🔕 退订晨读" in pupil.last.button_texts  # subscribed
    assert all(not readings(p) for p in pupils), "sent before its time"
    # the bot is restarted right at the reading time
    await asyncio.sleep((at - datetime.now(at.tzinfo)).total_seconds() - 0.5)
    assert all(not readings(p) for p in pupils), "sent before its time"
    await bot.kill()
    await bot.start(**settings)
    await eventually(lambda: all(readings(p) for p in pupils), 20, "the reading")
    assert "第一条" in readings(pupils[0])[0].text and datetime.now(at.tzinfo) >= at
    await bot.stop()  # and once more after it was sent: no second copy
    await bot.start(**settings)
    await asyncio.sleep(2)  # the reading job runs every 0.5 s
    assert all(len(readings(p)) == 1 for p in pupils), "a second copy"

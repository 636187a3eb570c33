"""`python -m bot run` while content/site.yaml still holds the shipped sample facts: it says so loudly at
start-up (a WARNING in the log, and a banner on stderr), and parents are never shown a sample value."""

from __future__ import annotations

from bot.render.typeset import find_cjk_font
from tests.blackbox.harness import Bot, RemoteSimulator


async def test_run_warns_while_site_yaml_holds_samples(bot: Bot, people: RemoteSimulator) -> None:
    await bot.start()
    warning = [line for line in bot.log.lines if " WARNING " in line and "SAMPLE value(s)" in line]
    assert warning and "site.yaml" in warning[0]
    assert any(line.startswith("WARNING: site.yaml still holds") for line in bot.log.lines)  # the banner
    [answer] = await people.user("家长").send("招生咨询电话是多少")
    assert "请以区教育局公布的信息为准" in answer.text and "000-00000000" not in answer.text


async def test_run_warns_without_a_font_that_draws_chinese(bot: Bot) -> None:
    """A teacher's certificate would be spelt in pinyin (Wang Lao Shi, Shi Li Qu Jiao Yu Ju) without anybody
    running the bot noticing: `run` says so at start-up, where this machine has no such font."""
    await bot.start()
    banner = [line for line in bot.log.lines if line.startswith("WARNING: no font that draws Chinese")]
    assert bool(banner) == (find_cjk_font() is None)

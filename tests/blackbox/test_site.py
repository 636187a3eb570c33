"""`python -m bot run` while content/site.yaml still holds the shipped sample facts: it says so loudly at
start-up (a WARNING in the log, and a banner on stderr), and parents are never shown a sample value."""

from __future__ import annotations

from tests.blackbox.harness import Bot, RemoteSimulator


async def test_run_warns_while_site_yaml_holds_samples(bot: Bot, people: RemoteSimulator) -> None:
    await bot.start()
    warning = [line for line in bot.log.lines if " WARNING " in line and "SAMPLE value(s)" in line]
    assert warning and "site.yaml" in warning[0]
    assert any(line.startswith("WARNING: site.yaml still holds") for line in bot.log.lines)  # the banner
    [answer] = await people.user("家长").send("招生咨询电话是多少")
    assert "请以区教育局公布的信息为准" in answer.text and "000-00000000" not in answer.text

"""/dashboard as an admin meets it: a Mini App button and a one-time browser link, and the dashboard
served by the bot itself (on_startup starts it when DASHBOARD_URL is set) answering that link."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.app import build_application, on_shutdown, on_startup
from bot.runtime import Services
from bot.sim import Simulator, World
from bot.sim.simulator import SIM_TOKEN, SimRequest
from tests.conftest import ADMIN_ID
from tests.handlers.helpers import registered


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def served(services: Services) -> AsyncIterator[Simulator]:
    """The bot with its dashboard on a free local port (http: a reverse proxy adds https in production)."""
    port = free_port()
    services.settings = services.settings.model_copy(
        update={"dashboard_url": f"http://127.0.0.1:{port}", "dashboard_port": port}
    )
    app = build_application(services, request=SimRequest(World()), token=SIM_TOKEN)
    async with app:
        await on_startup(app)
        try:
            yield Simulator(app, app.bot.request.world)  # type: ignore[attr-defined]
        finally:
            await on_shutdown(app)


async def test_dashboard_is_refused_to_non_admins_and_off_without_a_url(sim: Simulator) -> None:
    pupil = await registered(sim, "学生", "小明")
    [refused] = await pupil.send("/dashboard")
    assert "只有管理员" in refused.text and not refused.buttons
    [off] = await sim.user("管理员", user_id=ADMIN_ID).send("/dashboard")
    assert "DASHBOARD_URL" in off.text and not off.buttons


async def test_the_admin_opens_the_mini_app_or_a_one_time_link(served: Simulator) -> None:
    admin = served.user("管理员", user_id=ADMIN_ID)
    [answer] = await admin.send("/dashboard")
    web_app = answer.buttons[0][0]["web_app"]["url"]
    url = served.app.bot_data["services"].settings.dashboard_url  # type: ignore[union-attr]
    assert web_app == f"{url}/?lang=zh"
    [link] = await admin.press("浏览器登录链接")
    page = next(word for word in link.text.split() if word.startswith("http"))
    fragment = urlsplit(page).fragment
    assert fragment.startswith("login=")
    async with aiohttp.ClientSession(base_url=url, cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        html = await (await http.get("/?lang=zh")).text()
        assert "普法数据看板" in html
        first = await http.post("/api/session", json={"login": fragment.removeprefix("login=")})
        assert first.status == 200
        view = await http.get("/api/view")  # the session cookie
        assert view.status == 200 and (await view.json())["child_level"] == "town"
        again = await http.post("/api/session", json={"login": fragment.removeprefix("login=")})
        assert again.status == 401

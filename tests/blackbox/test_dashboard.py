"""The dashboard through `python -m bot run`: with DASHBOARD_URL set, the one program serves the page and
its API beside the bot (here while it long-polls), and an admin's /dashboard link signs them in."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from aiohttp import ClientSession, CookieJar

from bot.services.webapp_auth import sign_init_data
from bot.sim.simulator import SIM_TOKEN
from tests.blackbox.harness import Bot, RemoteSimulator
from tests.blackbox.test_webhook import free_port
from tests.conftest import ADMIN_ID


async def test_run_serves_the_dashboard_beside_polling(bot: Bot, people: RemoteSimulator) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    await bot.start(DASHBOARD_URL=url, DASHBOARD_LISTEN="127.0.0.1", DASHBOARD_PORT=str(port))
    admin = people.user("管理员", user_id=ADMIN_ID)
    [answer] = await admin.send("/dashboard")
    assert answer.buttons[0][0]["web_app"]["url"] == f"{url}/?lang=zh"
    fields = {"auth_date": str(int(time.time())), "user": f'{{"id":{ADMIN_ID}}}'}
    fields["hash"] = sign_init_data(fields, SIM_TOKEN)
    async with ClientSession(url, cookie_jar=CookieJar(unsafe=True)) as http:
        page = await http.get("/")
        assert page.status == 200 and "frame-ancestors" in page.headers["Content-Security-Policy"]
        session = await http.post("/api/session", json={"init_data": urlencode(fields)})
        assert session.status == 200
        view = await (await http.get("/api/view")).json()
        assert view["child_level"] == "town" and view["summary"]["participants"] == 0
    [still] = await people.user("小明").send("/start")  # the bot goes on answering
    assert "普法助手" in still.text

"""The dashboard over HTTP (aiohttp's test client against bot/web/server.py and the real services)."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import parse_qsl, urlencode

from aiohttp.test_utils import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from bot.db.models import AuditEntry
from bot.domain import Role
from bot.runtime import Services
from bot.web.server import SESSION_COOKIE
from tests.conftest import ADMIN_ID
from tests.services.helpers import add_user, finished_attempt
from tests.web.conftest import CLASS_ADMIN, CONTEST, NOBODY, SCHOOL_ADMIN, TOKEN, init_data, session_token

Client = TestClient  # type: ignore[type-arg]
STAFF_EXAM = "staff-law-exam-2026"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_page_has_strict_security_headers_and_no_inline_script(client: Client) -> None:
    response = await client.get("/?lang=en")
    assert response.status == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors https://web.telegram.org https://*.telegram.org" in csp
    assert response.headers["Cache-Control"] == "no-store"
    html = await response.text()
    assert "Law education dashboard" in html
    scripts = html.split("<script")[1:]
    assert all(' src="' in s.split(">")[0] or 'type="application/json"' in s.split(">")[0] for s in scripts)
    assert "普法数据看板" in await (await client.get("/")).text()
    static = await client.get("/static/chart.umd.min.js")
    assert static.status == 200 and "Chart.js" in (await static.text())[:200]


async def test_a_session_needs_telegrams_signature_and_a_grant(client: Client) -> None:
    response = await client.post("/api/session", json={"init_data": init_data(SCHOOL_ADMIN)})
    assert response.status == 200
    assert response.cookies[SESSION_COOKIE]["httponly"]
    assert response.cookies[SESSION_COOKIE]["samesite"] == "Lax"
    assert (await response.json())["language"] == "en"  # as the admin chose in the bot
    forged = dict(parse_qsl(init_data(SCHOOL_ADMIN)))
    forged["user"] = forged["user"].replace(str(SCHOOL_ADMIN), str(ADMIN_ID))
    for body in ({"init_data": urlencode(forged)}, {"init_data": init_data(ADMIN_ID, token="1:OTHER")},
                 {"login": "made-up"}, {}, []):  # fmt: skip
        refused = await client.post("/api/session", json=body)
        assert refused.status == 401, body
        assert await refused.json() == {"error": "unauthorized"}
    for user in (NOBODY, 999):  # a revoked grant; no grant at all
        assert (await client.post("/api/session", json={"init_data": init_data(user)})).status == 403


async def test_the_api_needs_a_session(client: Client) -> None:
    for path in ("/api/campaigns", "/api/view", "/api/charts", "/api/export"):
        response = await client.get(path)
        assert response.status == 401, path
        assert response.headers["Cache-Control"] == "no-store"
    forged = "eyJ1c2VyIjo0MjQyfQ.AAAA"
    assert (await client.get("/api/view", headers=bearer(forged))).status == 401


async def test_the_district_page_for_the_bureau(client: Client) -> None:
    token = await session_token(client, ADMIN_ID)
    campaigns = await (await client.get("/api/campaigns", headers=bearer(token))).json()
    assert campaigns["campaigns"][0]["id"] == CONTEST and campaigns["campaigns"][0]["current"]
    response = await client.get("/api/view", params={"campaign": CONTEST}, headers=bearer(token))
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    view = await response.json()
    summary = view["summary"]
    assert (summary["participants"], summary["completed"], summary["passed"], summary["excellent"]) == (
        4,
        4,
        3,
        2,
    )
    # 305/4 = 76.25: 76.3 as /stats says it (a half up), where round() had made it 76.2
    assert summary["mean"] == 76.3 and summary["median"] == 85
    assert view["child_level"] == "town"
    assert view["rows"][0]["zero"] and not view["rows"][-1]["zero"]
    assert {r["key"]: r["participants"] for r in view["rows"] if not r["zero"]} == {
        "chengguan": 3,
        "qinghe": 1,
    }
    charts = await (
        await client.get("/api/charts", params={"campaign": CONTEST}, headers=bearer(token))
    ).json()
    assert sum(d["completed"] for d in charts["days"]) == 4
    assert {s["label"] for s in charts["schools"]} == {"城关第一小学", "清河镇中心小学"}


async def test_drilling_down_town_school_class(client: Client) -> None:
    token = await session_token(client, ADMIN_ID)

    async def view(level: str, key: str) -> dict:  # type: ignore[type-arg]
        response = await client.get("/api/view", params={"level": level, "key": key}, headers=bearer(token))
        assert response.status == 200
        return await response.json()  # type: ignore[no-any-return]

    town = await view("town", "chengguan")
    assert town["child_level"] == "school" and town["summary"]["participants"] == 3
    assert [r["key"] for r in town["rows"] if not r["zero"]] == ["cg-p1"]
    school = await view("school", "cg-p1")
    assert school["child_level"] == "class"
    classes = {r["key"]: r for r in school["rows"]}
    assert classes["cg-p1:5:1"]["participants"] == 2 and classes["cg-p1:5:2"]["passed"] == 0
    assert classes["cg-p1:3:1"]["zero"]  # nobody of 3-1 took part: listed, first
    assert school["rows"][0]["zero"]
    klass = await view("class", "cg-p1:5:1")
    assert klass["child_level"] is None and klass["summary"]["participants"] == 2
    assert (
        await client.get("/api/view", params={"level": "school", "key": "nowhere"}, headers=bearer(token))
    ).status == 404


async def test_a_schools_staff_are_grouped_by_department_and_are_no_page_to_open(
    client: Client, seeded: Services
) -> None:
    """The staff exam at 城关第一小学: one teacher of 语文组, one who gave no department (the school admin's
    own 教职工 row is theirs: they took no exam)."""
    async with seeded.db.transaction() as session:
        for user_id, department, score in ((6001, "语文组", 90), (6002, None, 70)):
            (await add_user(session, user_id, Role.staff, "cg-p1")).department = department
            session.add(finished_attempt(user_id, STAFF_EXAM, score, 600))
    token = await session_token(client, ADMIN_ID)
    place = {"campaign": STAFF_EXAM, "level": "school", "key": "cg-p1"}
    view = await (await client.get("/api/view", params=place, headers=bearer(token))).json()
    assert view["child_level"] == "class"
    assert [(r["key"], r["label"], r["level"], r["participants"]) for r in view["rows"]] == [
        ("cg-p1:staff:语文组", "城关第一小学 教职工·语文组", None, 1),
        ("cg-p1:staff", "城关第一小学 教职工（未填部门）", None, 1),  # those who gave none
    ]
    opened = {"campaign": STAFF_EXAM, "level": "class", "key": "cg-p1:staff:语文组"}
    assert (await client.get("/api/view", params=opened, headers=bearer(token))).status == 404


async def test_a_school_admin_asking_for_another_school_gets_403_and_no_data(client: Client) -> None:
    token = await session_token(client, SCHOOL_ADMIN)
    own = await client.get("/api/view", headers=bearer(token))
    assert own.status == 200
    top = await own.json()  # a school admin starts with their schools
    assert (top["child_level"], [r["key"] for r in top["rows"]]) == ("school", ["cg-p1"])
    for path in ("/api/view", "/api/charts", "/api/export"):
        for level, key in (("school", "qh-p1"), ("town", "qinghe"), ("class", "qh-p1:4:1")):
            response = await client.get(path, params={"level": level, "key": key}, headers=bearer(token))
            assert response.status == 403, (path, level)
            assert await response.json() == {"error": "forbidden"}
    class_admin = await session_token(client, CLASS_ADMIN)
    response = await client.get(
        "/api/view", params={"level": "school", "key": "cg-p1"}, headers=bearer(class_admin)
    )
    assert [r["key"] for r in (await response.json())["rows"]] == ["cg-p1:5:2"]


async def test_a_revoked_admin_loses_the_dashboard_at_once(client: Client, seeded: Services) -> None:
    token = await session_token(client, SCHOOL_ADMIN)
    assert (await client.get("/api/view", headers=bearer(token))).status == 200
    async with seeded.db.transaction() as session:
        await seeded.access.revoke(session, ADMIN_ID, [str(SCHOOL_ADMIN), "school", "cg-p1"])
    assert (await client.get("/api/view", headers=bearer(token))).status == 403


async def test_a_login_link_opens_one_browser_session(client: Client, seeded: Services) -> None:
    async with seeded.db.transaction() as session:
        login = await seeded.dashboard.create_login(session, SCHOOL_ADMIN)
    first = await client.post("/api/session", json={"login": login})
    assert first.status == 200
    assert (await client.get("/api/campaigns")).status == 200  # the cookie alone
    assert (await client.post("/api/session", json={"login": login})).status == 401


async def test_downloads_are_the_export_workbook_and_csv_of_the_place(
    client: Client, seeded: Services
) -> None:
    token = await session_token(client, SCHOOL_ADMIN)
    view = await (
        await client.get("/api/view", params={"level": "school", "key": "cg-p1"}, headers=bearer(token))
    ).json()
    client.session.cookie_jar.clear()
    xlsx = await client.get("/" + view["downloads"]["xlsx"])  # a plain link: its ticket is the proof
    assert xlsx.status == 200 and xlsx.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(await xlsx.read()), read_only=True)
    # in the admin's language (en): cg-p1's three pupils, those who passed and the one who did not
    passed, not_passed = list(book["Certificates"].values)[1:], list(book["Not passed"].values)[1:]
    assert (len(passed), len(not_passed)) == (2, 1)
    assert {row[1] for row in passed + not_passed} == {"城关第一小学"}  # no one from qh-p1
    csv = await client.get("/" + view["downloads"]["csv"])
    assert {"certificates.csv", "not_passed.csv"} <= set(
        zipfile.ZipFile(io.BytesIO(await csv.read())).namelist()
    )
    tampered = "/" + view["downloads"]["xlsx"].replace("key=cg-p1", "key=qh-p1")
    assert (await client.get(tampered)).status == 403
    async with seeded.db.snapshot() as session:
        audited = (
            await session.scalars(select(AuditEntry.detail).where(AuditEntry.actor == SCHOOL_ADMIN))
        ).all()
    assert audited == [f"dashboard {CONTEST} school cg-p1"] * 2


async def test_a_ticket_is_not_a_session(client: Client) -> None:
    token = await session_token(client, ADMIN_ID)
    view = await (await client.get("/api/view", headers=bearer(token))).json()
    ticket = dict(parse_qsl(view["downloads"]["xlsx"].split("?", 1)[1]))["ticket"]
    assert (await client.get("/api/view", headers=bearer(ticket))).status == 401
    assert TOKEN not in view["downloads"]["xlsx"]


async def test_who_has_not_taken_part_and_a_confirmed_reminder(client: Client, seeded: Services) -> None:
    async with seeded.db.transaction() as session:  # joined class 5-2, not taken part yet
        await add_user(session, 7_000_000_201, Role.student, "cg-p1", 5, 2)
    teacher = await session_token(client, CLASS_ADMIN)
    place = {"campaign": CONTEST, "level": "class", "key": "cg-p1:5:2"}
    lines = (await (await client.get("/api/missing", params=place, headers=bearer(teacher))).json())["lines"]
    assert any("已登记 2 人，已参与 1 人，未参与 1 人" in line for line in lines), lines
    district = await session_token(client, ADMIN_ID)
    rows = (
        await (
            await client.get("/api/missing", params={"campaign": CONTEST}, headers=bearer(district))
        ).json()
    )["lines"]
    assert sum("应参加" in line for line in rows) > 10  # every school the contest is for, zeros first
    school_admin = await session_token(client, SCHOOL_ADMIN)
    for path in ("/api/missing", "/api/remind"):
        other = {"campaign": CONTEST, "level": "school", "key": "qh-p1"}
        call = client.get if path == "/api/missing" else client.post
        refused = await call(path, params=other, headers=bearer(school_admin))
        assert refused.status == 403 and await refused.json() == {"error": "forbidden"}
    assert (await client.get("/api/remind", params=place, headers=bearer(teacher))).status == 405  # POST only

    sent = await client.post("/api/remind", params=place, headers=bearer(teacher))
    assert "正在向 1 位未参与的人发送提醒" in (await sent.json())["text"]
    again = await client.post("/api/remind", params=place, headers=bearer(teacher))
    assert "今天已经提醒过" in (await again.json())["text"]  # at most once a day a person
    async with seeded.db.transaction() as session:
        actions = (
            await session.scalars(select(AuditEntry.action).where(AuditEntry.actor == CLASS_ADMIN))
        ).all()
    # the second reached nobody, and is on record as such (an admins' pass read those as reminders sent)
    assert sorted(actions) == ["remind", "remind_none"]


async def test_a_campaign_not_for_the_teachers_class_lists_nobody_and_says_why(client: Client) -> None:
    """A class teacher picking the staff exam in the page's campaign picker: /api/missing had answered
    409, and the page, which loads it with the figures, showed only 加载失败 (load failed)."""
    teacher = await session_token(client, CLASS_ADMIN)
    for place in ({"campaign": STAFF_EXAM}, {"campaign": STAFF_EXAM, "level": "class", "key": "cg-p1:5:2"}):
        response = await client.get("/api/missing", params=place, headers=bearer(teacher))
        assert response.status == 200, await response.text()
        assert await response.json() == {
            "lines": ["这个活动不面向学生，您管理的班级无需参加。"],
            "refused": True,
        }
        assert (await client.get("/api/view", params=place, headers=bearer(teacher))).status == 200
    other = {"campaign": STAFF_EXAM, "level": "class", "key": "cg-p1:5:1"}  # still not theirs to see
    assert (await client.get("/api/missing", params=other, headers=bearer(teacher))).status == 403

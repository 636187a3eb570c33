"""The dashboard's tests: a seeded campaign, admins of each kind, signed initData, and the web app
(bot/web/server.py) served by aiohttp's test server over the real services."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.db.models import Grant
from bot.db.schools import sync_district
from bot.domain import Role
from bot.runtime import Services
from bot.services.webapp_auth import sign_init_data
from bot.web.server import build_web_app
from tests.conftest import ADMIN_ID
from tests.services.helpers import T0, add_user, finished_attempt

TOKEN = "123456:TEST-dashboard-token"
CONTEST = "constitution-day-2026"
SCHOOL_ADMIN, CLASS_ADMIN, NOBODY = 5001, 5002, 5003
# (user, school, grade, class, score or None for joined-but-not-finished)
PUPILS = [
    (101, "cg-p1", 5, 1, 80),
    (102, "cg-p1", 5, 1, 95),
    (103, "cg-p1", 5, 2, 40),
    (105, "qh-p1", 4, 1, 90),
]


def init_data(user_id: int, *, token: str = TOKEN, auth_date: int | None = None, language: str = "zh",
              **extra: str) -> str:  # fmt: skip
    """initData as Telegram signs it for this bot, at `auth_date` (default: the test clock's start)."""
    fields = {"auth_date": str(auth_date if auth_date is not None else int(T0.timestamp())),
              "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
              "user": json.dumps({"id": user_id, "first_name": "Admin", "language_code": language},
                                 separators=(",", ":")), **extra}  # fmt: skip
    fields["hash"] = sign_init_data(fields, token)
    return urlencode(fields)


@pytest.fixture
async def seeded(services: Services) -> Services:
    """Four pupils of the Constitution Day contest in two schools of two towns, and three admins: one of
    城关第一小学 (cg-p1), one of its class 5-2, and one whose grant was revoked."""
    async with services.db.transaction() as session:
        await sync_district(session, district=services.content.district)
        for user, school, grade, klass, score in PUPILS:
            await add_user(session, 7_000_000_000 + user, Role.student, school, grade, klass)
            session.add(finished_attempt(7_000_000_000 + user, CONTEST, score, 300, minutes_after=user))
        await add_user(session, SCHOOL_ADMIN, Role.staff, "cg-p1", language="en")
        session.add(
            Grant(user_id=SCHOOL_ADMIN, scope="school", school_id="cg-p1", granted_by=ADMIN_ID, created_at=T0)
        )
        session.add(Grant(user_id=CLASS_ADMIN, scope="class", school_id="cg-p1", grade=5, class_no=2,
                          granted_by=ADMIN_ID, created_at=T0))  # fmt: skip
        session.add(
            Grant(user_id=NOBODY, scope="district", granted_by=ADMIN_ID, created_at=T0, revoked_at=T0)
        )
    return services


@pytest.fixture
async def client(seeded: Services) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(TestServer(build_web_app(seeded, TOKEN))) as test_client:
        yield test_client


async def session_token(client: TestClient, user_id: int) -> str:  # type: ignore[type-arg]
    response = await client.post("/api/session", json={"init_data": init_data(user_id)})
    assert response.status == 200, await response.text()
    return str((await response.json())["token"])

"""The certificate register: short unambiguous codes, one per user and campaign (kept when issued again),
no name stored, and lookups by admins within their scope only."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from bot.db.models import CertificateRecord, User
from bot.domain import Role, Scope
from bot.runtime import Services
from bot.services import certificates
from bot.services.errors import Refused
from tests.conftest import Clock
from tests.services.helpers import add_user, finished_attempt

CAMPAIGN = "constitution-day-2026"
PUPIL, OTHER = 701, 702


def test_codes_are_8_characters_without_lookalikes() -> None:
    codes = {certificates.new_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(code) == 8 and not set(code) & set("0O1IL") for code in codes)
    assert len(certificates.ALPHABET) == len(set(certificates.ALPHABET)) == 31


def test_a_code_is_read_as_typed() -> None:
    assert certificates.normalized(" k7qm-3xpa ") == "K7QM3XPA"
    assert certificates.normalized("K7QM 3XPA") == "K7QM3XPA"
    # copied with what the certificate prints before it (an admins' pass: /verify No. JGJVC9RW was not found)
    for printed in ("No. K7QM3XPA", "No.K7QM3XPA", "证书编号：K7QM3XPA", "编号 K7QM3XPA"):
        assert certificates.normalized(printed) == "K7QM3XPA", printed
    assert certificates.normalized("K7QM3XP") is None  # too short
    assert certificates.normalized("K7QM3XP0") is None  # 0 is never in a code


async def issue(svc: Services, user_id: int) -> certificates.Issued:
    async with svc.db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return await svc.campaigns.issue_certificate(session, user, svc.content.campaigns[CAMPAIGN])


async def seed(svc: Services) -> None:
    async with svc.db.transaction() as session:
        await add_user(session, PUPIL, Role.student, "cg-p1", 5, 1)
        await add_user(session, OTHER, Role.student, "cg-p2", 5, 2)
        session.add_all(
            [finished_attempt(PUPIL, CAMPAIGN, 70, 300), finished_attempt(OTHER, CAMPAIGN, 95, 200)]
        )


async def test_issuing_again_keeps_the_code_with_the_score_now_shown(svc: Services, clock: Clock) -> None:
    await seed(svc)
    first = await issue(svc, PUPIL)
    assert certificates.normalized(first.code) == first.code and (first.score, first.excellent) == (70, False)
    async with svc.db.transaction() as session:
        session.add(finished_attempt(PUPIL, CAMPAIGN, 92, 250, minutes_after=5))
    clock.advance(days=1)
    again = await issue(svc, PUPIL)
    assert again.code == first.code and (again.score, again.excellent) == (92, True)
    async with svc.db.transaction() as session:
        [row] = (await session.scalars(select(CertificateRecord))).all()
    assert (row.code, row.user_id, row.campaign_id, row.score, row.level) == (first.code, PUPIL, CAMPAIGN, 92,
                                                                              "excellent")  # fmt: skip
    assert row.issued_at == clock.now


def test_the_register_has_no_place_for_a_name() -> None:
    columns = {c.key for c in inspect(CertificateRecord).columns}
    assert columns == {"id", "code", "user_id", "campaign_id", "score", "level", "issued_at"}


async def test_a_code_already_taken_is_not_given_again(svc: Services) -> None:
    await seed(svc)
    codes = iter(["AAAA2222", "AAAA2222", "BBBB3333"])  # the second clashes with the first
    svc.campaigns.new_certificate_code = lambda: next(codes)
    assert (await issue(svc, PUPIL)).code == "AAAA2222"
    assert (await issue(svc, OTHER)).code == "BBBB3333"


async def test_a_user_who_has_not_passed_gets_no_code(svc: Services) -> None:
    async with svc.db.transaction() as session:
        await add_user(session, PUPIL, Role.student, "cg-p1", 5, 1)
        session.add(finished_attempt(PUPIL, CAMPAIGN, 40, 300))
    with pytest.raises(Refused):
        await issue(svc, PUPIL)
    async with svc.db.transaction() as session:
        assert (await session.scalars(select(CertificateRecord))).all() == []


async def verify(svc: Services, scope: Scope, typed: str) -> certificates.Verified:
    async with svc.db.transaction() as session:
        return await svc.campaigns.verify_certificate(session, scope, typed)


async def test_an_admin_finds_a_certificate_within_their_scope_only(svc: Services) -> None:
    await seed(svc)
    code = (await issue(svc, PUPIL)).code
    found = await verify(svc, Scope(district=True), code.lower())
    assert (found.code, found.campaign_id, found.score, found.level) == (code, CAMPAIGN, 70, "passed")
    assert (found.role, found.school_id, found.grade, found.class_no) == ("student", "cg-p1", 5, 1)
    assert (await verify(svc, Scope(schools=frozenset({"cg-p1"})), code)).code == code
    assert (await verify(svc, Scope(classes=frozenset({("cg-p1", 5, 1)})), code)).code == code
    for outside in (Scope(schools=frozenset({"cg-p2"})), Scope(classes=frozenset({("cg-p1", 5, 2)}))):
        with pytest.raises(Refused) as refused:
            await verify(svc, outside, code)
        assert refused.value.key == "certificate.verify_unknown"
    for typed in ("ZZZZ9999", "not a code"):
        with pytest.raises(Refused):
            await verify(svc, Scope(district=True), typed)

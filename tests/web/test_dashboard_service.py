"""The dashboard service: one-time login links, and rights checked against the grant as it is now."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from bot.db.models import DashboardLogin, Grant
from bot.domain import Row
from bot.runtime import Services
from bot.services.dashboard import DashboardService, Forbidden, token_hash
from bot.views.stats import mean_label, pct
from tests.conftest import ADMIN_ID, Clock
from tests.services.helpers import count
from tests.web.conftest import CLASS_ADMIN, CONTEST, NOBODY, SCHOOL_ADMIN


async def test_a_login_link_works_once(seeded: Services) -> None:
    async with seeded.db.transaction() as session:
        token = await seeded.dashboard.create_login(session, SCHOOL_ADMIN)
        stored = await count(session, DashboardLogin, DashboardLogin.token_hash == token_hash(token))
        raw = await count(session, DashboardLogin, DashboardLogin.token_hash == token)
    assert (stored, raw) == (1, 0)  # only the hash is kept
    async with seeded.db.transaction() as session:
        assert await seeded.dashboard.redeem_login(session, token) == SCHOOL_ADMIN
    async with seeded.db.transaction() as session:
        assert await seeded.dashboard.redeem_login(session, token) is None
        assert await seeded.dashboard.redeem_login(session, token + "x") is None


async def test_a_login_link_expires_after_ten_minutes(seeded: Services, clock: Clock) -> None:
    async with seeded.db.transaction() as session:
        late = await seeded.dashboard.create_login(session, SCHOOL_ADMIN)
        in_time = await seeded.dashboard.create_login(session, SCHOOL_ADMIN)
    clock.advance(minutes=9, seconds=59)
    async with seeded.db.transaction() as session:
        assert await seeded.dashboard.redeem_login(session, in_time) == SCHOOL_ADMIN
    clock.advance(seconds=2)
    async with seeded.db.transaction() as session:
        assert await seeded.dashboard.redeem_login(session, late) is None


async def test_only_admins_get_login_links(seeded: Services) -> None:
    for user in (NOBODY, 999):
        async with seeded.db.transaction() as session:
            with pytest.raises(Forbidden):
                await seeded.dashboard.create_login(session, user)


async def test_a_school_admin_is_refused_other_schools_and_towns(seeded: Services) -> None:
    async with seeded.db.snapshot() as session:
        own = await seeded.dashboard.view(session, SCHOOL_ADMIN, CONTEST, "school", "cg-p1", "zh")
        assert own["summary"]["participants"] == 3
        for level, key in (("school", "qh-p1"), ("town", "chengguan"), ("class", "qh-p1:4:1")):
            with pytest.raises(Forbidden):
                await seeded.dashboard.view(session, SCHOOL_ADMIN, CONTEST, level, key, "zh")
            with pytest.raises(Forbidden):
                await seeded.dashboard.charts(session, SCHOOL_ADMIN, CONTEST, level, key)


async def test_a_class_admin_sees_only_their_class(seeded: Services) -> None:
    async with seeded.db.snapshot() as session:
        top = await seeded.dashboard.view(session, CLASS_ADMIN, CONTEST, "district", "", "zh")
        assert top["child_level"] == "class"
        assert [r["key"] for r in top["rows"]] == ["cg-p1:5:2"]
        assert top["summary"]["participants"] == 1
        with pytest.raises(Forbidden):
            await seeded.dashboard.view(session, CLASS_ADMIN, CONTEST, "class", "cg-p1:5:1", "zh")


async def test_a_revoked_grant_takes_effect_at_once(seeded: Services, clock: Clock) -> None:
    async with seeded.db.snapshot() as session:
        await seeded.dashboard.view(session, SCHOOL_ADMIN, CONTEST, "district", "", "zh")
    async with seeded.db.transaction() as session:
        await seeded.access.revoke(session, ADMIN_ID, [str(SCHOOL_ADMIN), "school", "cg-p1"])
    async with seeded.db.snapshot() as session:
        with pytest.raises(Forbidden):
            await seeded.dashboard.view(session, SCHOOL_ADMIN, CONTEST, "district", "", "zh")
        assert await count(session, Grant, Grant.user_id == SCHOOL_ADMIN, Grant.revoked_at.is_(None)) == 0


async def test_the_district_view_lists_every_town_those_without_participants_first(seeded: Services) -> None:
    async with seeded.db.snapshot() as session:
        view = await seeded.dashboard.view(session, ADMIN_ID, CONTEST, "district", "", "zh")
    towns = view["rows"]
    assert len(towns) == len(seeded.content.district.towns)
    zero = [r["label"] for r in towns if r["zero"]]
    assert towns[: len(zero)] == [r for r in towns if r["zero"]]
    assert {r["label"] for r in towns if not r["zero"]} == {"城关街道", "清河镇"}
    assert view["summary"]["participants"] == 4 and view["summary"]["passed"] == 3
    assert view["summary"]["pass_rate"] == 0.75


async def test_deleteme_erases_the_admins_login_links(seeded: Services) -> None:
    from bot.db.users import erase_user

    async with seeded.db.transaction() as session:
        await seeded.dashboard.create_login(session, SCHOOL_ADMIN)
        await seeded.dashboard.create_login(session, ADMIN_ID)
    async with seeded.db.transaction() as session:
        await erase_user(session, user_id=SCHOOL_ADMIN)
    async with seeded.db.snapshot() as session:
        assert await count(session, DashboardLogin, DashboardLogin.user_id == SCHOOL_ADMIN) == 0
        assert await count(session, DashboardLogin, DashboardLogin.user_id == ADMIN_ID) == 1


async def test_dashboards_opened_together_share_one_report_read(seeded: Services) -> None:
    """Ten admins opening the district page at once (view and charts each) read the report once; the
    rights of each are still checked (a revoked admin is refused with the report cached)."""
    import asyncio

    reads = 0
    report = seeded.stats.report

    async def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        await asyncio.sleep(0.05)  # a read that takes a while: the others arrive meanwhile
        return await report(*args, **kwargs)

    seeded.stats.report = counted  # type: ignore[method-assign]

    async def page() -> int:
        async with seeded.db.snapshot() as session:
            view = await seeded.dashboard.view(session, ADMIN_ID, CONTEST, "district", "", "zh")
            await seeded.dashboard.charts(session, ADMIN_ID, CONTEST, "district", "")
            return int(view["summary"]["participants"])

    assert await asyncio.gather(*(page() for _ in range(10))) == [4] * 10
    assert reads == 1
    async with seeded.db.snapshot() as session:
        with pytest.raises(Forbidden):
            await seeded.dashboard.view(session, NOBODY, CONTEST, "district", "", "zh")


def to_fixed(value: float) -> str:
    """JavaScript's `value.toFixed(1)`: the exact binary value, a tie to the larger."""
    return str(Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP))


def test_the_page_shows_the_rates_and_means_stats_shows() -> None:
    """The page formats a rate as `(100 * v).toFixed(1) + "%"` and a mean as it comes: what it is sent
    must show as /stats shows it. Rounded to four places and again in the browser, a class where 14 of 17
    passed had shown 82.3% (/stats: 82.4%), 15 of 19 79.0% (78.9%); a mean of 76.25 76.2 (76.3)."""
    for took in range(1, 120):
        for passed in range(took + 1):
            row = DashboardService._row(Row("k", "k", took, took, passed, 0, 76.25, took), None)
            shown = (
                to_fixed(100 * row["pass_rate"]) + "%" if passed == 0 or passed / took >= 0.0005 else "<0.1%"
            )
            assert shown == pct(passed / took), (passed, took)
    assert (
        DashboardService._row(Row("k", "k", 4, 4, 3, 2, 76.25, 10), None)["mean"]
        == 76.3
        == float(mean_label(76.25))
    )

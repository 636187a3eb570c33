"""Fixtures for the service-level tests: the real services over a clean database whose towns and
schools are in step with content (as they are once the bot has started)."""

from __future__ import annotations

import pytest

from bot.db.schools import sync_district
from bot.runtime import Services


@pytest.fixture
async def svc(services: Services) -> Services:
    """`services`, with the district's towns and schools in the database (users refer to them)."""
    async with services.db.transaction() as session:
        await sync_district(session, district=services.content.district)
    return services

"""Keep the towns and schools tables in step with `content/schools.yaml`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schools import District
from bot.db.models import School, Town


async def sync_district(session: AsyncSession, *, district: District) -> None:
    """Upsert every town and school; schools no longer listed are kept (users point at them) but
    marked inactive."""
    towns = {t.id: t for t in (await session.scalars(select(Town))).all()}
    schools = {s.id: s for s in (await session.scalars(select(School))).all()}
    listed: set[str] = set()
    for t_pos, spec in enumerate(district.towns):
        town = towns.get(spec.id) or Town(id=spec.id)
        town.name, town.position = spec.name, t_pos
        session.add(town)
    await session.flush()  # towns first: schools refer to them
    for spec in district.towns:
        for s_pos, school_spec in enumerate(spec.schools):
            school = schools.get(school_spec.id) or School(id=school_spec.id)
            school.town_id, school.name, school.kind = spec.id, school_spec.name, school_spec.kind.value
            school.position, school.active = s_pos, True
            school.students, school.staff = school_spec.students, school_spec.staff
            session.add(school)
            listed.add(school_spec.id)
    await session.flush()
    for school_id, school in schools.items():
        if school_id not in listed:
            school.active = False

"""The bulk-send budget shared through PostgreSQL: `rate` slots, each holding when it was last used, by the
database's clock (every process reads the same one). A send takes the slot used longest ago, if that was
more than a window ago, in one statement; rows locked by another process's claim are skipped, not
waited for."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_NOW = "extract(epoch FROM clock_timestamp())::float8"

_CLAIM = text(f"""
WITH free AS (
    SELECT slot FROM bulk_slots
    WHERE slot < :rate AND used_at <= {_NOW} - :window
    ORDER BY used_at LIMIT 1
    FOR UPDATE SKIP LOCKED
), taken AS (
    UPDATE bulk_slots SET used_at = {_NOW} FROM free WHERE bulk_slots.slot = free.slot
    RETURNING bulk_slots.slot
)
SELECT (SELECT count(*) FROM taken) AS taken,
       (SELECT count(*) FROM bulk_slots WHERE slot < :rate) AS slots,
       (SELECT min(used_at) FROM bulk_slots WHERE slot < :rate) + :window - {_NOW} AS wait
""")  # fmt: skip

_ADD_SLOTS = text(
    "INSERT INTO bulk_slots (slot, used_at) SELECT g, 0 FROM generate_series(0, :rate - 1) AS g "
    "ON CONFLICT (slot) DO NOTHING"
)


async def claim_slot(session: AsyncSession, *, rate: int, window: float) -> float | None:
    """Take a send slot (None), or the seconds until the oldest one frees. Creates missing slots."""
    row = (await session.execute(_CLAIM, {"rate": rate, "window": window})).one()
    if row.taken:
        return None
    if row.slots < rate:
        await session.execute(_ADD_SLOTS, {"rate": rate})
        return 0.0
    return float(row.wait)

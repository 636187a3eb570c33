"""The bulk-send budget shared through PostgreSQL: `rate` slots, each holding the time (seconds since the
epoch) of the last send scheduled on it, or of when that send went, if later. A send takes the slot used
longest ago and is scheduled a window after that slot's last send, or now if that has passed. Each
slot's sends are thus at least a window apart, so no window holds more than `rate` sends, whichever
process took them."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_SCHEDULE = text("""
WITH oldest AS (
    SELECT slot, greatest(used_at + :window, :now) AS at FROM bulk_slots
    WHERE slot < :rate ORDER BY used_at LIMIT 1
    FOR UPDATE
)
UPDATE bulk_slots SET used_at = oldest.at FROM oldest WHERE bulk_slots.slot = oldest.slot
RETURNING oldest.slot, oldest.at
""")  # fmt: skip

_ADD_SLOTS = text(
    "INSERT INTO bulk_slots (slot, used_at) SELECT g, 0 FROM generate_series(0, :rate - 1) AS g "
    "ON CONFLICT (slot) DO NOTHING"
)


async def add_slots(connection: AsyncConnection, *, rate: int) -> None:
    """Make sure slots 0 .. rate-1 exist."""
    await connection.execute(_ADD_SLOTS, {"rate": rate})


async def schedule_send(
    connection: AsyncConnection, *, rate: int, window: float, now: float
) -> tuple[int, float] | None:
    """The slot taken and when (seconds since the epoch) the send may go; None when there are no slots. On
    a connection in autocommit mode: the slot's row is locked for this one statement only. (Another
    process taking the same slot at once waits for it, then schedules its send a window after this one.)"""
    row = (await connection.execute(_SCHEDULE, {"rate": rate, "window": window, "now": now})).one_or_none()
    return None if row is None else (int(row.slot), float(row.at))


async def count_from(connection: AsyncConnection, went: dict[int, float]) -> None:
    """Each slot's send went at the time given, later than it was scheduled: counted from then (unless
    the slot has since been scheduled later still), all sent at once."""
    await connection.execute(
        text("UPDATE bulk_slots SET used_at = greatest(used_at, :at) WHERE slot = :slot"),
        [{"slot": slot, "at": at} for slot, at in went.items()],
    )

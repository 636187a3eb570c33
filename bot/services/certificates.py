"""The certificate register: the short code printed on a certificate, and what an admin who looks one up
is shown. Codes are random (not derived from anything about the holder), 8 characters from 31 letters and
digits that cannot be mistaken for one another (no 0/O, 1/I/L): about 8.5e11 possible codes."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import certificates as db
from bot.domain import Scope

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
TRIES = 10  # fresh codes tried before giving up (a clash is already one in a billion)


@dataclass(frozen=True)
class Issued:
    code: str
    score: int
    excellent: bool


@dataclass(frozen=True)
class Verified:
    """A registered certificate as an admin sees it: no name (none is stored)."""

    code: str
    campaign_id: str
    score: int
    level: str  # passed | excellent
    issued_at: datetime
    role: str | None
    school_id: str | None
    grade: int | None
    class_no: int | None


def new_code(choose: Callable[[str], str] = secrets.choice) -> str:
    return "".join(choose(ALPHABET) for _ in range(CODE_LENGTH))


# what the certificate prints before its code (an admins' pass: /verify No. JGJVC9RW was not found)
PRINTED_BEFORE = re.compile(r"^(?:证书编号|编号|No\.?)\s*[:：]?\s*", re.IGNORECASE)


def normalized(text: str) -> str | None:
    """A code as typed (any case, spaces or hyphens between groups, copied with the words before it on the
    certificate: 证书编号：, No.) in its stored form; None when it cannot be a code."""
    code = "".join(ch for ch in PRINTED_BEFORE.sub("", text.strip()).upper() if ch not in " -")
    return code if len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code) else None


async def issue(session: AsyncSession, *, user_id: int, campaign_id: str, score: int, excellent: bool,
                now: datetime, make_code: Callable[[], str] = new_code) -> Issued:  # fmt: skip
    """Register the certificate being issued; a user's certificate for a campaign keeps its code when it
    is issued again, with the score and level it now shows."""
    level = "excellent" if excellent else "passed"
    for _ in range(TRIES):
        found = await db.of_user(session, user_id=user_id, campaign_id=campaign_id)
        if found is not None:
            found.score, found.level, found.issued_at = score, level, now
            return Issued(found.code, score, excellent)
        await db.add_once(session, code=make_code(), user_id=user_id, campaign_id=campaign_id, score=score,
                          level=level, now=now)  # fmt: skip
    raise RuntimeError("no free certificate code found")


async def verify(session: AsyncSession, *, scope: Scope, typed: str) -> Verified | None:
    """The certificate with the code typed, if it exists and its holder is within the admin's scope."""
    code = normalized(typed)
    found = None if code is None else await db.by_code(session, code=code)
    if found is None:
        return None
    record, holder = found
    within = (
        scope.district
        or holder.school_id in scope.schools
        or (holder.school_id, holder.grade, holder.class_no) in scope.classes
    )
    if not within:
        return None
    return Verified(record.code, record.campaign_id, record.score, record.level, record.issued_at,
                    holder.role.value if holder.role else None, holder.school_id, holder.grade,
                    holder.class_no)  # fmt: skip

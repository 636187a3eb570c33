"""The names pupils (and staff) choose for rank tables, as the admins over them see and clear them.

/name refuses numbers, links, symbols and the insults it knows, but not every unfit name: a classmate's,
a leader's, a joke at someone's expense. A class teacher (their classes), a school admin (their school)
or the district lists the names chosen in their scope, in full, and clears one; the clearing is audited
(by user id: the name itself is not kept)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import names as db
from bot.domain import ChosenName
from bot.services.access import Access
from bot.services.errors import Refused

LISTED = 30  # names to a page of /names: one button each


@dataclass(frozen=True)
class ChosenNames:
    names: list[ChosenName]
    more: bool  # more than LISTED: the first are listed


class NameService:
    def __init__(self, access: Access) -> None:
        self.access = access

    async def chosen(self, session: AsyncSession, actor: int) -> ChosenNames:
        scope = await self.access.require(session, actor)
        found = list(await db.chosen(session, scope, limit=LISTED + 1))
        return ChosenNames(found[:LISTED], more=len(found) > LISTED)

    async def clear(self, session: AsyncSession, actor: int, user_id: int) -> str:
        """Clears the name of `user_id`, who must be in the actor's scope now (the button's data is the
        user's to forge, and a grant may have ended since the list was shown); the user's language, for
        telling them."""
        scope = await self.access.require(session, actor)
        user = await db.clear(session, scope, user_id)
        if user is None:
            raise Refused("names.gone")
        await self.access.audit(session, actor, "clear_name", str(user_id), schools=[user.school_id])
        return user.language

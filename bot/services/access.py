"""Who may see what: super admins from ADMIN_IDS, and the grants they give (district, school, class).
Rights never come from what a user types about themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content.schools import District
from bot.db import grants as db
from bot.db.models import Grant
from bot.domain import Scope
from bot.parsing import whole_number
from bot.services.errors import Refused


class Access:
    def __init__(
        self,
        settings: Settings,
        district: District,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.district = district
        self.clock = clock

    def is_super(self, user_id: int) -> bool:
        return self.settings.is_super_admin(user_id)

    async def scope(self, session: AsyncSession, user_id: int) -> Scope:
        if self.is_super(user_id):
            return Scope(district=True)
        grants = await db.active_grants(session, user_id=user_id)
        if any(g.scope == "district" for g in grants):
            return Scope(district=True)
        schools = frozenset(g.school_id for g in grants if g.scope == "school" and g.school_id)
        classes = frozenset((g.school_id, g.grade, g.class_no) for g in grants
                            if g.scope == "class" and g.school_id and g.grade and g.class_no)  # fmt: skip
        return Scope(schools=schools, classes=classes)  # type: ignore[arg-type]

    async def require(self, session: AsyncSession, user_id: int) -> Scope:
        """The caller's scope; anyone without rights is refused without learning what exists."""
        scope = await self.scope(session, user_id)
        if scope.empty:
            raise Refused("admin.refused")
        return scope

    def parse_grant(self, args: list[str]) -> tuple[int, str, str | None, int | None, int | None]:
        """`<user id> district` | `<user id> school <school id>` | `<user id> class <school id> <grade>-<class>`,
        naming a school, grade and class the district has."""
        target = whole_number(args[0], 1) if args else None
        if target is None or len(args) < 2:
            raise Refused("admin.grant_usage")
        kind, school = args[1], self.district.school(args[2]) if len(args) >= 3 else None
        if kind == "district" and len(args) == 2:
            return target, kind, None, None, None
        if kind == "school" and len(args) == 3 and school is not None:
            return target, kind, school.id, None, None
        if kind == "class" and len(args) == 4 and school is not None:
            grade_text, _, class_text = args[3].partition("-")
            grade, class_no = whole_number(grade_text), whole_number(class_text, 1, max(school.classes, 1))
            if grade in school.grade_list and class_no is not None:
                return target, kind, school.id, grade, class_no
        raise Refused("admin.grant_usage")

    async def grant(self, session: AsyncSession, actor: int, args: list[str]) -> Grant:
        if not self.is_super(actor):
            raise Refused("admin.refused")
        target, kind, school, grade, class_no = self.parse_grant(args)
        grant = Grant(user_id=target, scope=kind, school_id=school, grade=grade, class_no=class_no, granted_by=actor,
                      created_at=self.clock())  # fmt: skip
        db.add_grant(session, grant)
        await self.audit(session, actor, "grant", " ".join(args))
        return grant

    async def revoke(self, session: AsyncSession, actor: int, args: list[str]) -> int:
        if not self.is_super(actor):
            raise Refused("admin.refused")
        target, kind, school, grade, class_no = self.parse_grant(args)
        revoked = await db.revoke(session, user_id=target, scope=kind, school_id=school, grade=grade,
                                  class_no=class_no, now=self.clock())  # fmt: skip
        await self.audit(session, actor, "revoke", " ".join(args))
        return revoked

    async def audit(self, session: AsyncSession, actor: int, action: str, detail: str) -> None:
        db.add_audit(session, actor=actor, action=action, detail=detail, now=self.clock())

"""Who may see what: super admins from ADMIN_IDS, and the grants they give (district, school, class).
Rights never come from what a user types about themselves, and never go to a user registered as a pupil
(a grant or an invite link opened by one is refused: a pupil with a class's rights saw classmates' scores)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content.schools import District, SchoolSpec
from bot.db import grants as db
from bot.db import users
from bot.db.models import AuditEntry, Grant, Invite, User
from bot.domain import Role, Scope
from bot.parsing import whole_number
from bot.services.errors import Refused

INVITE_HOURS = 72
INVITE_PREFIX = "g_"  # t.me/<bot>?start=g_<token>
SHOWN_SCHOOLS = 8  # the schools a name several have is told to be


def named_school(district: District, text: str) -> SchoolSpec:
    """The school an admin's command names (`District.matching`: its id, its name, or a part of the name no
    other school's holds); refused saying whether none or several schools have that name (/stats school
    城关 had said none was found, where four were)."""
    candidates = district.matching(text)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:  # the closest by name suggested, never taken (城关一小: an admins' pass)
        if closest := district.closest(text)[:SHOWN_SCHOOLS]:
            names = "、".join(s.name for s in closest)  # by name: nothing else in the bot shows an id
            raise Refused("admin.no_such_school_but", name=text[:20], schools=names)
        raise Refused("admin.no_such_school", name=text[:20])
    names = "、".join(s.name for s in candidates[:SHOWN_SCHOOLS]) + (
        "…" if len(candidates) > SHOWN_SCHOOLS else ""
    )
    raise Refused("admin.several_schools", name=text[:20], schools=names)


def narrowed(district: District, scope: Scope, args: list[str]) -> tuple[Scope, list[str]]:
    """`school <school>` among an admin's arguments, before or after the campaign: their scope narrowed to that
    school, which must be within it, and the other arguments; without it, both as they were. /stats drills
    down by it, /missing and /remind keep to it (an admins' pass: a district admin had no way to list one
    school's non-participants)."""
    if "school" not in args:
        return scope, args
    at = args.index("school")
    if at + 1 >= len(args):  # it was read as a campaign named "school"
        raise Refused("stats.school_usage")
    school = named_school(district, args[at + 1])
    if not (scope.district or school.id in scope.schools):
        raise Refused("admin.not_in_scope")
    rest = args[:at] + args[at + 2 :]
    return Scope(schools=frozenset({school.id}), verified_only=scope.verified_only), rest


@dataclass(frozen=True)
class GrantList:
    """What /grants shows: the active grants in scope, and who their holders and grantors are (their rows,
    where they still have one): ids alone told an admin nothing of whom they had granted."""

    grants: list[Grant]
    people: dict[int, User]


@dataclass(frozen=True)
class AuditLog:
    """What /audit shows: the newest entries, of the whole district or of `schools` only."""

    entries: list[AuditEntry]
    schools: frozenset[str] | None  # None: the district's, every entry


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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

    async def scope_named(
        self, session: AsyncSession, actor: int, args: list[str]
    ) -> tuple[Scope, list[str]]:
        """The actor's scope (`require`), narrowed to the school their arguments name, if any (`narrowed`),
        and the other arguments: /missing and /remind."""
        return narrowed(self.district, await self.require(session, actor), args)

    async def scope(self, session: AsyncSession, user_id: int) -> Scope:
        if self.is_super(user_id):
            return Scope(district=True)
        grants = await db.active_grants(session, user_id=user_id)
        if grants and await users.role_of(session, user_id=user_id) is Role.student:
            # a grant's holder who registered as a pupil since (in /profile) holds no rights by it: it had
            # gone on showing a class's scores to the new pupil
            return Scope()
        if any(g.scope == "district" for g in grants):
            return Scope(district=True)
        schools = frozenset(g.school_id for g in grants if g.scope == "school" and g.school_id)
        classes = frozenset((g.school_id, g.grade, g.class_no) for g in grants
                            if g.scope == "class" and g.school_id and g.grade and g.class_no)  # fmt: skip
        return Scope(schools=schools, classes=classes)  # type: ignore[arg-type]

    async def require_super(self, session: AsyncSession, user_id: int) -> None:
        """Super admins only (/broadcast, /unanswered, /reload): an admin of a school or class is told
        whose commands these are; anyone else gets the refusal every admin command gives."""
        if self.is_super(user_id):
            return
        scope = await self.scope(session, user_id)
        raise Refused("admin.refused" if scope.empty else "admin.super_only")

    async def require(self, session: AsyncSession, user_id: int) -> Scope:
        """The caller's scope; anyone without rights is refused without learning what exists."""
        scope = await self.scope(session, user_id)
        if scope.empty:
            raise Refused("admin.refused")
        return scope

    def parse_place(self, args: list[str]) -> tuple[str, str | None, int | None, int | None]:
        """`district` | `school <school id>` | `class <school id> <grade>-<class>`, naming a school, grade
        and class the district has."""
        kind = args[0] if args else ""
        if kind == "district" and len(args) == 1:
            return kind, None, None, None
        if (kind, len(args)) not in (("school", 2), ("class", 3)):
            raise Refused("admin.grant_usage")
        school = named_school(self.district, args[1])
        if kind == "school":
            return kind, school.id, None, None
        if (named := school.class_named(args[2])) is None:  # /joinlink says the same
            raise Refused("admin.no_such_class")
        return kind, school.id, *named

    def parse_grant(self, args: list[str]) -> tuple[int, str, str | None, int | None, int | None]:
        """`<user id>` followed by a place (`parse_place`)."""
        target = whole_number(args[0], 1) if args else None
        if target is None:
            raise Refused("admin.grant_usage")
        return (target, *self.parse_place(args[1:]))

    async def require_granting(
        self, session: AsyncSession, actor: int, kind: str, school: str | None
    ) -> None:
        """Super admins grant anything; district admins schools and classes; school admins classes of their
        own schools. Anyone else is refused."""
        if self.is_super(actor):
            return
        scope = await self.require(session, actor)
        if (scope.district and kind != "district") or (kind == "class" and school in scope.schools):
            return
        raise Refused("admin.not_in_scope")

    async def grant(self, session: AsyncSession, actor: int, args: list[str]) -> Grant:
        await self.require(session, actor)  # anyone else learns nothing, not even the usage
        target, kind, school, grade, class_no = self.parse_grant(args)
        await self.require_granting(session, actor, kind, school)
        if not await users.known(session, user_id=target):  # a mistyped id: rights waiting for a stranger
            raise Refused("admin.grant_unknown", id=target)
        if await users.role_of(session, user_id=target) is Role.student:
            raise Refused("admin.grant_pupil")
        held = {
            (g.scope, g.school_id, g.grade, g.class_no)
            for g in await db.active_grants(session, user_id=target)
        }
        if (kind, school, grade, class_no) in held:  # granting it twice had made two rows of it
            raise Refused("admin.grant_held", id=target)
        # nor what they hold already (an admins' pass: /grant 9001 district to the super admin, a class to a
        # school's admin, both listed by /grants beside what covered them)
        if self.is_super(target):
            raise Refused("admin.grant_super", id=target)
        if kind == "class" and any(k == "district" or (k == "school" and s == school) for k, s, _, _ in held):
            raise Refused("admin.grant_covered", id=target)
        grant = Grant(user_id=target, scope=kind, school_id=school, grade=grade, class_no=class_no, granted_by=actor,
                      created_at=self.clock())  # fmt: skip
        db.add_grant(session, grant)
        await self.audit(session, actor, "grant", " ".join(args), schools=[school])
        return grant

    async def revoke(self, session: AsyncSession, actor: int, args: list[str]) -> int:
        """Revoke the matching active grants; audited even when there were none (the attempt is on
        record, as one that changed nothing: an admins' pass read a second revoke as done twice)."""
        await self.require(session, actor)
        target, kind, school, grade, class_no = self.parse_grant(args)
        await self.require_granting(session, actor, kind, school)
        revoked = await db.revoke(session, user_id=target, scope=kind, school_id=school, grade=grade,
                                  class_no=class_no, now=self.clock())  # fmt: skip
        await self.audit(
            session, actor, "revoke" if revoked else "revoke_none", " ".join(args), schools=[school]
        )
        return revoked

    async def invite(self, session: AsyncSession, actor: int, args: list[str]) -> str:
        """A one-time grant for whoever opens the link (`/start g_<token>`): the token, shown once; only
        its hash is kept. It expires after INVITE_HOURS."""
        await self.require(session, actor)
        kind, school, grade, class_no = self.parse_place(args)
        await self.require_granting(session, actor, kind, school)
        token, now = secrets.token_urlsafe(12), self.clock()
        db.add_invite(session, Invite(token_hash=_digest(token), scope=kind, school_id=school, grade=grade,
                                      class_no=class_no, created_by=actor, created_at=now,
                                      expires_at=now + timedelta(hours=INVITE_HOURS)))  # fmt: skip
        await self.audit(session, actor, "invite", " ".join(args), schools=[school])
        return token

    async def accept(self, session: AsyncSession, user_id: int, token: str) -> Grant:
        """The grant an invite holds, given to the one who opened it first; refused when the token is
        unknown, used or expired, or its author may no longer grant it (without saying which)."""
        invite = await db.invite_by_hash(session, _digest(token)) if token else None
        now = self.clock()
        if invite is None or invite.used_at is not None or invite.expires_at <= now:
            raise Refused("invite.invalid")
        if await users.role_of(session, user_id=user_id) is Role.student:  # the link stays usable
            raise Refused("invite.pupil")
        try:
            await self.require_granting(session, invite.created_by, invite.scope, invite.school_id)
        except Refused:
            raise Refused("invite.invalid") from None
        if not await db.use_invite(session, invite_id=invite.id, user_id=user_id, now=now):
            raise Refused("invite.invalid")
        grant = Grant(user_id=user_id, scope=invite.scope, school_id=invite.school_id, grade=invite.grade,
                      class_no=invite.class_no, granted_by=invite.created_by, created_at=now)  # fmt: skip
        db.add_grant(session, grant)
        place = " ".join(str(v) for v in (invite.school_id, invite.grade, invite.class_no) if v is not None)
        await self.audit(
            session,
            invite.created_by,
            "grant",
            f"{user_id} {invite.scope} {place} (invite)".replace("  ", " "),
            schools=[invite.school_id],
        )
        return grant

    async def forget(self, session: AsyncSession, user_id: int) -> None:
        """/deleteme: the user's grants go with their data (an erased school admin had kept reading the
        school's statistics); the end of any rights they held is on record, in their schools' logs too."""
        ended = await db.delete_user_grants(session, user_id=user_id)
        if ended:
            await self.audit(session, user_id, "erase", str(user_id), schools=[g.school_id for g in ended])

    async def grants(self, session: AsyncSession, actor: int) -> GrantList:
        """/grants: the active grants the actor may see (all of them for the district; a school admin,
        those within their schools), with their holders' and grantors' profiles."""
        scope = await self.require(session, actor)
        if not scope.district and not scope.schools:  # a class teacher: told who manages class rights
            raise Refused("admin.audit_schools_only")
        found = list(await db.all_active(session, schools=None if scope.district else scope.schools))
        people = await users.profiles(session, user_ids={i for g in found for i in (g.user_id, g.granted_by)})
        return GrantList(found, people)

    async def audit_log(self, session: AsyncSession, actor: int, limit: int = 20) -> AuditLog:
        """/audit: the last grants, revokes, invites, exports, reminders, rosters, verifications and
        broadcasts. The district sees every entry; a school admin those that concern their schools (rights
        given or taken there, and what their school's admins did there), as they see the grants of their
        schools only. A class teacher is refused: they give no rights, and the school's log is the
        school's."""
        scope = await self.require(session, actor)
        if scope.district:
            return AuditLog(list(await db.recent_audit(session, limit=limit)), None)
        if not scope.schools:
            raise Refused("admin.audit_schools_only")
        return AuditLog(
            list(await db.recent_audit(session, limit=limit, schools=scope.schools)), scope.schools
        )

    async def audit(
        self,
        session: AsyncSession,
        actor: int,
        action: str,
        detail: str,
        *,
        schools: Collection[str | None] = (),
    ) -> None:
        """Record what `actor` did, and the schools it concerns (see `AuditSchool`; None and none: the
        district's business, or nobody's school)."""
        await db.add_audit(
            session, actor=actor, action=action, detail=detail, now=self.clock(), schools=schools
        )

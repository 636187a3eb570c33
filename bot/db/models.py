"""SQLAlchemy 2.x models. Alembic migrations in `alembic/versions` create exactly these tables."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain import DEPARTMENT_LENGTH, QUESTION_LENGTH, AttemptStatus, Role

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
NORMALIZED_LENGTH = 200  # an unanswered question's normalised form (indexed), cut to this


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment: stored as TIMESTAMP WITH TIME ZONE, always read back aware and in UTC. PostgreSQL hands
    back aware datetimes, SQLite (which keeps no zone) naive ones holding the UTC time written: this
    makes them alike, so no caller has to. Aware moments in any zone are stored as UTC; a naive one is
    refused, as its zone is a guess (SQLite would keep its wall time as UTC, asyncpg take it for the
    machine's local time) and the bot's clocks all give aware ones (`utcnow`)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime is no moment to store (give it a zone): {value!r}")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # a `Mapped[datetime]` column is a UtcDateTime (tests/db/test_session.py: none is a plain DateTime)
    type_annotation_map = {datetime: UtcDateTime()}


class Town(Base):
    """A town or street (镇街), the level above schools in the district."""

    __tablename__ = "towns"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)


class School(Base):
    __tablename__ = "schools"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    town_id: Mapped[str] = mapped_column(ForeignKey("towns.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    students: Mapped[int] = mapped_column(Integer, default=0)
    staff: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    """A Telegram user. The Telegram id is the key; no real name is required."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(5), default="zh")
    role: Mapped[Role | None] = mapped_column(Enum(Role, name="user_role", native_enum=False, length=10))
    school_id: Mapped[str | None] = mapped_column(ForeignKey("schools.id"))
    grade: Mapped[int | None] = mapped_column(Integer)
    class_no: Mapped[int | None] = mapped_column(Integer)
    # A staff member's department, as their school lists it in schools.yaml (语文组); optional, None for
    # everyone else. Reports split a school's staff by it.
    department: Mapped[str | None] = mapped_column(String(DEPARTMENT_LENGTH))
    display_name: Mapped[str | None] = mapped_column(String(40))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)  # else shown masked (张*)
    # Which free-text reply the bot is waiting for ("school_search", ...); kept here so a restart
    # does not lose a half-finished flow.
    awaiting: Mapped[str | None] = mapped_column(String(40))
    # The feature ("quiz", "campaign", ...) that asked for registration, continued once it is done.
    resume_after: Mapped[str | None] = mapped_column(String(20))
    # The FAQ entry the user was last answered with, and when: a follow-up naming only another school
    # level (那幼儿园呢) soon after is the same question about that level.
    faq_entry: Mapped[str | None] = mapped_column(String(64))
    faq_entry_at: Mapped[datetime | None] = mapped_column()
    registered_at: Mapped[datetime | None] = mapped_column()
    # While a registered user changes an answer in /profile: the answers before (JSON), put back when they
    # leave the change unfinished, so that looking at 修改学校 never locks them out of what they used
    profile_before: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_users_school_grade_class", "school_id", "grade", "class_no"),)

    @property
    def registered(self) -> bool:
        return self.registered_at is not None


class Attempt(Base):
    """One run through a quiz. Questions and their shuffled options are fixed when it starts."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(10))
    law: Mapped[str | None] = mapped_column(String(40))  # None: mixed (综合)
    campaign_id: Mapped[str | None] = mapped_column(String(40))
    total: Mapped[int] = mapped_column(Integer)
    # Progress is the answered rows (questions are answered in order); nothing here moves per answer.
    shown: Mapped[int] = mapped_column(Integer, default=0)  # questions sent so far
    # when `shown` last moved on: a 下一题 pressed again a while after it re-sends that question (it may be lost)
    shown_at: Mapped[datetime | None] = mapped_column()
    correct: Mapped[int] = mapped_column(Integer, default=0)  # right answers, counted when it ends
    status: Mapped[str] = mapped_column(String(10), default=AttemptStatus.open.value)
    score: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # exam: the whole attempt's; a challenge's 30 s per question run from the previous answer instead
    deadline_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    seconds: Mapped[int | None] = mapped_column(Integer)  # time taken, set when it ends
    pass_mark: Mapped[int] = mapped_column(Integer, default=60)
    excellent_mark: Mapped[int] = mapped_column(Integer, default=90)

    __table_args__ = (
        Index("ix_attempts_user_status", "user_id", "status"),
        Index("ix_attempts_campaign_status", "campaign_id", "status"),
        Index("ix_attempts_status_deadline", "status", "deadline_at"),
    )


class SpentAttempts(Base):
    """How many attempts of a campaign a user had started when they erased their data (/deleteme): their
    Telegram id and that number alone, kept until the campaign ends, so that erasing gives no fresh
    attempts at an exam (a teachers' pass retook the staff exam that way). /deleteme says so."""

    __tablename__ = "spent_attempts"

    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # no user row: it was erased
    used: Mapped[int] = mapped_column(Integer)
    until: Mapped[datetime] = mapped_column()  # the campaign's end: the row goes after it


class AttemptQuestion(Base):
    __tablename__ = "attempt_questions"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(20))
    option_order: Mapped[str] = mapped_column(String(12))  # original option indices in display order
    chosen: Mapped[str | None] = mapped_column(String(12))  # original indices submitted
    correct: Mapped[bool | None] = mapped_column(Boolean)
    answered_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_attempt_questions_question", "question_id", "correct"),)


class GroupRound(Base):
    """A round of native quiz polls in a group chat."""

    __tablename__ = "group_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    started_by: Mapped[int] = mapped_column(BigInteger)
    law: Mapped[str | None] = mapped_column(String(40))
    question_ids: Mapped[str] = mapped_column(String(400))  # comma-separated, in order
    sent: Mapped[int] = mapped_column(Integer, default=0)
    open_period: Mapped[int] = mapped_column(Integer, default=30)
    status: Mapped[str] = mapped_column(String(10), default=AttemptStatus.open.value)
    next_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_group_rounds_chat_status", "chat_id", "status"),
        Index("ix_group_rounds_status_next", "status", "next_at"),
    )


class GroupPoll(Base):
    __tablename__ = "group_polls"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("group_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(20))
    correct_option: Mapped[int] = mapped_column(Integer)


class GroupAnswer(Base):
    """One member's answer to one poll. `name` is only a masked first name (张*) for the round table."""

    __tablename__ = "group_answers"

    poll_id: Mapped[str] = mapped_column(
        ForeignKey("group_polls.poll_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_group_answers_user", "user_id"),)


class FaqQuery(Base):
    """A question the FAQ could not answer, kept for curators until they have dealt with it.

    `chat_id` is where a curator's reply goes; the row goes with the user on /deleteme."""

    __tablename__ = "faq_queries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(QUESTION_LENGTH))
    # what the matcher read of it (bot/services/faq_matcher.py: its window, normalised): grouped by
    normalized: Mapped[str] = mapped_column(String(NORMALIZED_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # where it was posted for the curators: a reply is theirs by group and message (ids restart per group)
    curator_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    curator_message_id: Mapped[int | None] = mapped_column(BigInteger)
    replied_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_faq_queries_normalized", "normalized"),
        Index("ix_faq_queries_curator_message", "curator_chat_id", "curator_message_id"),
        Index("ix_faq_queries_user", "user_id"),
    )


class FaqVote(Base):
    __tablename__ = "faq_votes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FaqAlternate(Base):
    """A curator's choice to add a real question's wording to an entry. The bot matches it from here (loaded
    at start and on /reload); `python -m bot faq export-learned` copies it into the content files."""

    __tablename__ = "faq_alternates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(String(QUESTION_LENGTH))
    # the question it came from: the wording goes with its asker on /deleteme
    query_id: Mapped[int | None] = mapped_column(ForeignKey("faq_queries.id", ondelete="CASCADE"))
    added_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    written_at: Mapped[datetime | None] = mapped_column()  # last exported to content


class CampaignMember(Base):
    """A user who joined a campaign; `reading` when subscribed to its daily reading."""

    __tablename__ = "campaign_members"

    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    reading: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_campaign_members_reading", "campaign_id", "reading"),)


class ReadingDelivery(Base):
    """One day's article sent to one subscriber: the row is claimed before sending, so a restart or a
    second copy of the bot never sends the same day twice."""

    __tablename__ = "reading_deliveries"

    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class CertificateRecord(Base):
    """The register of certificates issued: a short code printed on each, for admins to confirm (/verify)
    that a certificate is genuine. One per user and campaign (issued again, it keeps its code). The name
    typed for the certificate is never stored; the row goes with the user on /deleteme (cascade)."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    campaign_id: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))  # passed | excellent
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "campaign_id"),)


class ItemTally(Base):
    """How often each question was answered, and answered wrong, in a campaign's attempts that ended, per
    school of those who took them: counted when an attempt ends, in its transaction, so that "hardest
    questions" reads a few hundred rows instead of every answer. Counts only, nothing personal; an erased
    user's answers are taken out again (bot/db/stats.py, `untally_user`)."""

    __tablename__ = "campaign_item_tallies"

    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "" for users without a school
    question_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    wrong: Mapped[int] = mapped_column(Integer, default=0)


class OptionTally(Base):
    """How often each option of a question was chosen in a campaign's attempts that ended, per school, as
    ItemTally counts answers (counted in the same transaction; counts only): the dashboard's "most chosen
    wrong option" of the hardest questions reads a few rows instead of ranking every result."""

    __tablename__ = "campaign_option_tallies"

    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "" for users without a school
    question_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    option: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # the option's index in the YAML
    chosen: Mapped[int] = mapped_column(Integer, default=0)


class Grant(Base):
    """Admin rights given by a super admin: the whole district, one school, or one class."""

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    scope: Mapped[str] = mapped_column(String(10))  # district | school | class
    school_id: Mapped[str | None] = mapped_column(String(40))
    grade: Mapped[int | None] = mapped_column(Integer)
    class_no: Mapped[int | None] = mapped_column(Integer)
    granted_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_grants_user", "user_id", "revoked_at"),)


class AuditEntry(Base):
    """Who granted, revoked or exported what, and when; the schools it concerns in `audit_schools`."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditSchool(Base):
    """A school an audit entry concerns: the school of a grant's place, those an export or a reminder
    covered, a roster's class's, a verified certificate's holder's. A school admin's /audit shows the
    entries of their schools; an entry about the whole district has none (the district sees them all)."""

    __tablename__ = "audit_schools"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(40), primary_key=True)

    __table_args__ = (Index("ix_audit_schools_school", "school_id", "audit_id"),)


class DashboardLogin(Base):
    """A one-time browser login link to the admin dashboard: only the SHA-256 of its random token is kept;
    it opens the dashboard once, within minutes of being made. Erased with its user (/deleteme)."""

    __tablename__ = "dashboard_logins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class Broadcast(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(4096))
    text_en: Mapped[str | None] = mapped_column(String(4096))  # for English readers, where there is one
    audience: Mapped[str] = mapped_column(String(80))  # all | staff | students | school.<id> | grade.<n>
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | sending | done | cancelled
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class BroadcastDelivery(Base):
    __tablename__ = "broadcast_deliveries"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # sending | sent | blocked | failed
    at: Mapped[datetime] = mapped_column(default=utcnow)


class BulkSlot(Base):
    """Bulk sending's shared budget (PostgreSQL): one row per message allowed in a second, holding when its
    last send went on the wire, in seconds since the epoch by the sending machine's clock (kept in step by
    NTP; see bot/services/pacing.py)."""

    __tablename__ = "bulk_slots"

    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    used_at: Mapped[float] = mapped_column(Float)


class JoinLink(Base):
    """A class's (or, for staff, a school's) join link, handed out by its teacher or school admin. Only the
    SHA-256 of the random code is kept: a leaked database gives no working link. Revocable, expiring."""

    __tablename__ = "join_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    school_id: Mapped[str] = mapped_column(String(40))
    grade: Mapped[int | None] = mapped_column(Integer)  # None: a school link (staff)
    class_no: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_join_links_place", "school_id", "grade", "class_no"),)


class VerifiedMember(Base):
    """A user who joined by link: the school (and class) the link named, and the number they gave (学号,
    or a staff member's optional 工号), nothing else. Verified while the user's own school and class
    still equal these; goes with the user on /deleteme (cascade)."""

    __tablename__ = "verified_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(40))
    grade: Mapped[int | None] = mapped_column(Integer)
    class_no: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(20))
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_verified_members_place", "school_id", "grade", "class_no", "number"),)


class RosterNumber(Base):
    """A class's 学号 list as its teacher uploaded it: numbers only, never names."""

    __tablename__ = "roster_numbers"

    school_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    grade: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    uploaded_by: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invite(Base):
    """A grant waiting for whoever opens its one-time link: only the token's SHA-256 is kept."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10))  # district | school | class
    school_id: Mapped[str | None] = mapped_column(String(40))
    grade: Mapped[int | None] = mapped_column(Integer)
    class_no: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column()


class Reminder(Base):
    """A campaign's reminder to one user on one local day (at most one a day), sent by broadcast
    `broadcast_id`; goes with the user on /deleteme (cascade)."""

    __tablename__ = "reminders"

    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_reminders_broadcast", "broadcast_id"),)


class ReportDelivery(Base):
    """A scheduled report (campaign, slot such as "daily:2026-12-01" or "end") claimed for one admin
    before it is sent: never twice, across restarts and processes."""

    __tablename__ = "report_deliveries"

    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    slot: Mapped[str] = mapped_column(String(20), primary_key=True)
    admin_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

"""SQLAlchemy 2.x models. Alembic migrations in `alembic/versions` create exactly these tables."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Enum, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Role(enum.StrEnum):
    student = "student"
    staff = "staff"
    parent = "parent"
    admin = "admin"


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
    display_name: Mapped[str | None] = mapped_column(String(40))
    # Which free-text reply the bot is waiting for ("school_search", ...); kept here so a restart
    # does not lose a half-finished flow.
    awaiting: Mapped[str | None] = mapped_column(String(40))
    registered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_users_school_grade_class", "school_id", "grade", "class_no"),)

    @property
    def registered(self) -> bool:
        return self.registered_at is not None


class AttemptMode(enum.StrEnum):
    practice = "practice"  # feedback after every question
    exam = "exam"  # no feedback until the end; a deadline for the whole attempt
    challenge = "challenge"  # until the first wrong answer; a deadline per question
    review = "review"  # redoing the mistake book, with feedback


class AttemptStatus(enum.StrEnum):
    open = "open"
    finished = "finished"
    expired = "expired"
    abandoned = "abandoned"


class Attempt(Base):
    """One run through a quiz. Questions and their shuffled options are fixed when it starts."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(10))
    law: Mapped[str | None] = mapped_column(String(40))  # None: mixed (综合)
    campaign_id: Mapped[str | None] = mapped_column(String(40))
    total: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # answered so far = index of the current one
    shown: Mapped[int] = mapped_column(Integer, default=0)  # questions sent so far
    correct: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default=AttemptStatus.open.value)
    score: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_attempts_user_status", "user_id", "status"),
        Index("ix_attempts_campaign_status", "campaign_id", "status"),
        Index("ix_attempts_status_deadline", "status", "deadline_at"),
    )


class AttemptQuestion(Base):
    __tablename__ = "attempt_questions"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(20))
    option_order: Mapped[str] = mapped_column(String(12))  # original option indices in display order
    chosen: Mapped[str | None] = mapped_column(String(12))  # original indices submitted
    correct: Mapped[bool | None] = mapped_column(Boolean)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

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
    next_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

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
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_group_answers_user", "user_id"),)


class FaqQuery(Base):
    """A question the FAQ could not answer, kept for curators until they have dealt with it.

    `chat_id` is where a curator's reply goes; the row goes with the user on /deleteme."""

    __tablename__ = "faq_queries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(200))
    normalized: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    curator_message_id: Mapped[int | None] = mapped_column(BigInteger)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_faq_queries_normalized", "normalized"),
        Index("ix_faq_queries_curator_message", "curator_message_id"),
        Index("ix_faq_queries_user", "user_id"),
    )


class FaqVote(Base):
    __tablename__ = "faq_votes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FaqAlternate(Base):
    """A curator's choice to add a real question's wording to an entry; written to content on /reload."""

    __tablename__ = "faq_alternates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    written_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""SQLAlchemy 2.x models. Alembic migrations in `alembic/versions` create exactly these tables."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Enum, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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

    town: Mapped[Town] = relationship(lazy="joined")


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

    school: Mapped[School | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_users_school_grade_class", "school_id", "grade", "class_no"),)

    @property
    def registered(self) -> bool:
        return self.registered_at is not None

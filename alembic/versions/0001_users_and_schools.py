"""users and schools

Revision ID: 0001
Revises:
Create Date: 2026-11-29 11:46:56.206080
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "towns",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_towns")),
    )
    op.create_table(
        "schools",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("town_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("students", sa.Integer(), nullable=False),
        sa.Column("staff", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_schools_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
    )
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schools_town_id"), ["town_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column(
            "role",
            sa.Enum("student", "staff", "parent", "admin", name="user_role", native_enum=False, length=10),
            nullable=True,
        ),
        sa.Column("school_id", sa.String(length=40), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("class_no", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=40), nullable=True),
        sa.Column("awaiting", sa.String(length=40), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_users_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_school_grade_class", ["school_id", "grade", "class_no"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_school_grade_class")

    op.drop_table("users")
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schools_town_id"))

    op.drop_table("schools")
    op.drop_table("towns")

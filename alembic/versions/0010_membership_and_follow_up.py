"""join links, verified members and roster numbers, admin invites, reminders, scheduled report slots

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "join_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=40), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("class_no", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        _when("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_links")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_join_links_code_hash")),
    )
    op.create_index("ix_join_links_place", "join_links", ["school_id", "grade", "class_no"])
    op.create_table(
        "verified_members",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("school_id", sa.String(length=40), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("class_no", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=20), nullable=True),
        _when("verified_at"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_verified_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_verified_members")),
    )
    op.create_index(
        "ix_verified_members_place", "verified_members", ["school_id", "grade", "class_no", "number"]
    )
    op.create_table(
        "roster_numbers",
        sa.Column("school_id", sa.String(length=40), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("class_no", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("uploaded_by", sa.BigInteger(), nullable=False),
        _when("uploaded_at"),
        sa.PrimaryKeyConstraint("school_id", "grade", "class_no", "number", name=op.f("pk_roster_numbers")),
    )
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("school_id", sa.String(length=40), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("class_no", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        sa.Column("used_by", sa.BigInteger(), nullable=True),
        _when("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invites_token_hash")),
    )
    op.create_table(
        "reminders",
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("campaign_id", "user_id", "day", name=op.f("pk_reminders")),
    )
    op.create_index("ix_reminders_broadcast", "reminders", ["broadcast_id"])
    op.create_table(
        "report_deliveries",
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("slot", sa.String(length=20), nullable=False),
        sa.Column("admin_id", sa.BigInteger(), nullable=False),
        _when("sent_at"),
        sa.PrimaryKeyConstraint("campaign_id", "slot", "admin_id", name=op.f("pk_report_deliveries")),
    )


def downgrade() -> None:
    op.drop_table("report_deliveries")
    op.drop_index("ix_reminders_broadcast", table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("invites")
    op.drop_table("roster_numbers")
    op.drop_index("ix_verified_members_place", table_name="verified_members")
    op.drop_table("verified_members")
    op.drop_index("ix_join_links_place", table_name="join_links")
    op.drop_table("join_links")

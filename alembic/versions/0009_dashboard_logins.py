"""dashboard_logins: one-time browser login links to the admin dashboard (token hash, user, expiry, use)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_logins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_logins")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dashboard_logins_token_hash")),
    )
    op.create_index(op.f("ix_dashboard_logins_user_id"), "dashboard_logins", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dashboard_logins_user_id"), table_name="dashboard_logins")
    op.drop_table("dashboard_logins")

"""spent_attempts: the attempts a user had started in a campaign when they erased their data, by Telegram id
alone until the campaign ends (/deleteme had given a teacher two fresh attempts at the staff exam)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "spent_attempts",
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("spent_attempts")

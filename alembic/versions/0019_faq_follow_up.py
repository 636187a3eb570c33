"""users.faq_entry and users.faq_entry_at: the FAQ entry a user was last answered with, and when, so that a
follow-up naming only another school level (那幼儿园呢) is read as the same question about that level

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("faq_entry", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("faq_entry_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("faq_entry_at")
        batch_op.drop_column("faq_entry")

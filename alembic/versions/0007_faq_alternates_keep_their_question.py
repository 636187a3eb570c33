"""faq_alternates.query_id: a curator's wording keeps the question it came from, and goes with its
asker on /deleteme until it is written into content

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 17:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_alternates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("query_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_faq_alternates_query_id_faq_queries"),
            "faq_queries",
            ["query_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_alternates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_faq_alternates_query_id_faq_queries"), type_="foreignkey")
        batch_op.drop_column("query_id")

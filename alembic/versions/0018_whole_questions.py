"""faq_queries.text and faq_alternates.text hold a question whole, up to the 1,000 characters a parent
may send (they held 200: a long question reached the curators and /unanswered without its end, where
parents ask what they want to know)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("faq_queries", "faq_alternates")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "text",
                existing_type=sa.String(length=200),
                type_=sa.String(length=1000),
                existing_nullable=False,
            )


def downgrade() -> None:
    # a question longer than 200 characters keeps its first 200, as the bot kept it before 0018
    for table in TABLES:
        op.execute(sa.text(f"UPDATE {table} SET text = substr(text, 1, 200) WHERE length(text) > 200"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "text",
                existing_type=sa.String(length=1000),
                type_=sa.String(length=200),
                existing_nullable=False,
            )

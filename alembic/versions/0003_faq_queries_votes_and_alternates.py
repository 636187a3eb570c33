"""faq queries, votes and alternates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 12:07:34.141088
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "faq_alternates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=60), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_alternates")),
    )
    op.create_table(
        "faq_queries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("normalized", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("curator_message_id", sa.BigInteger(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_faq_queries_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_queries")),
    )
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.create_index("ix_faq_queries_curator_message", ["curator_message_id"], unique=False)
        batch_op.create_index("ix_faq_queries_normalized", ["normalized"], unique=False)
        batch_op.create_index("ix_faq_queries_user", ["user_id"], unique=False)

    op.create_table(
        "faq_votes",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.String(length=60), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_faq_votes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "entry_id", name=op.f("pk_faq_votes")),
    )


def downgrade() -> None:
    op.drop_table("faq_votes")
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.drop_index("ix_faq_queries_user")
        batch_op.drop_index("ix_faq_queries_normalized")
        batch_op.drop_index("ix_faq_queries_curator_message")

    op.drop_table("faq_queries")
    op.drop_table("faq_alternates")

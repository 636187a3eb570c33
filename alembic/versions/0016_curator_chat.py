"""faq_queries.curator_chat_id: the curators' group a question was posted to, so that a reply is matched
by the group and its message, not by the message id alone (ids restart in a new group: a reply there
could have reached the asker of an older question)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("curator_chat_id", sa.BigInteger(), nullable=True))
        batch_op.drop_index("ix_faq_queries_curator_message")
        batch_op.create_index(
            "ix_faq_queries_curator_message", ["curator_chat_id", "curator_message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.drop_index("ix_faq_queries_curator_message")
        batch_op.create_index("ix_faq_queries_curator_message", ["curator_message_id"], unique=False)
        batch_op.drop_column("curator_chat_id")

"""campaign_item_tallies: answers and wrong answers per campaign, school and question, counted as attempts
end; filled from the attempts that ended before

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_item_tallies",
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("school_id", sa.String(length=40), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("wrong", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "campaign_id", "school_id", "question_id", name=op.f("pk_campaign_item_tallies")
        ),
    )
    op.execute(
        "INSERT INTO campaign_item_tallies (campaign_id, school_id, question_id, answers, wrong) "
        "SELECT a.campaign_id, COALESCE(u.school_id, ''), q.question_id, COUNT(*), "
        "SUM(CASE WHEN q.correct THEN 0 ELSE 1 END) "
        "FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id JOIN users u ON u.id = a.user_id "
        "WHERE a.campaign_id IS NOT NULL AND a.status IN ('finished', 'expired') AND q.answered_at IS NOT NULL "
        "GROUP BY a.campaign_id, COALESCE(u.school_id, ''), q.question_id"
    )


def downgrade() -> None:
    op.drop_table("campaign_item_tallies")

"""campaign_option_tallies: how often each option of a question was chosen per campaign and school,
counted as attempts end; filled from the attempts that ended before

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_OPTIONS = 6


def upgrade() -> None:
    op.create_table(
        "campaign_option_tallies",
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("school_id", sa.String(length=40), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("option", sa.SmallInteger(), nullable=False),
        sa.Column("chosen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "campaign_id", "school_id", "question_id", "option", name=op.f("pk_campaign_option_tallies")
        ),
    )
    for option in range(MAX_OPTIONS):  # options are single digits in attempt_questions.chosen ("0", "13")
        op.execute(
            "INSERT INTO campaign_option_tallies (campaign_id, school_id, question_id, option, chosen) "
            f"SELECT a.campaign_id, COALESCE(u.school_id, ''), q.question_id, {option}, COUNT(*) "
            "FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id JOIN users u ON u.id = a.user_id "
            "WHERE a.campaign_id IS NOT NULL AND a.status IN ('finished', 'expired') "
            f"AND q.answered_at IS NOT NULL AND q.chosen LIKE '%{option}%' "
            "GROUP BY a.campaign_id, COALESCE(u.school_id, ''), q.question_id"
        )


def downgrade() -> None:
    op.drop_table("campaign_option_tallies")

"""answers are the attempt's progress: attempts.position goes, a challenge has no attempt deadline

An attempt's progress is read from its answered rows, so recording an answer writes one row and nothing
else. `attempts.correct` is now counted when the attempt ends; a challenge's 30 seconds per question run
from the previous answer, so its `deadline_at` is no longer moved.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 13:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE attempts SET deadline_at = NULL WHERE mode = 'challenge'")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("position")


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE attempts SET position = (SELECT count(*) FROM attempt_questions"
        " WHERE attempt_questions.attempt_id = attempts.id AND attempt_questions.answered_at IS NOT NULL)"
    )

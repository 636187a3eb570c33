"""quizzes, mistakes and group rounds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 11:50:29.774872
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("started_by", sa.BigInteger(), nullable=False),
        sa.Column("law", sa.String(length=40), nullable=True),
        sa.Column("question_ids", sa.String(length=400), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("open_period", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_rounds")),
    )
    with op.batch_alter_table("group_rounds", schema=None) as batch_op:
        batch_op.create_index("ix_group_rounds_chat_status", ["chat_id", "status"], unique=False)
        batch_op.create_index("ix_group_rounds_status_next", ["status", "next_at"], unique=False)

    op.create_table(
        "group_polls",
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("correct_option", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["group_rounds.id"],
            name=op.f("fk_group_polls_round_id_group_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_group_polls")),
    )
    with op.batch_alter_table("group_polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_polls_round_id"), ["round_id"], unique=False)

    op.create_table(
        "group_answers",
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["group_polls.poll_id"],
            name=op.f("fk_group_answers_poll_id_group_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", "user_id", name=op.f("pk_group_answers")),
    )
    with op.batch_alter_table("group_answers", schema=None) as batch_op:
        batch_op.create_index("ix_group_answers_user", ["user_id"], unique=False)

    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("law", sa.String(length=40), nullable=True),
        sa.Column("campaign_id", sa.String(length=40), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_attempts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index("ix_attempts_campaign_status", ["campaign_id", "status"], unique=False)
        batch_op.create_index("ix_attempts_status_deadline", ["status", "deadline_at"], unique=False)
        batch_op.create_index("ix_attempts_user_status", ["user_id", "status"], unique=False)

    op.create_table(
        "attempt_questions",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("option_order", sa.String(length=12), nullable=False),
        sa.Column("chosen", sa.String(length=12), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_attempt_questions_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "position", name=op.f("pk_attempt_questions")),
    )
    with op.batch_alter_table("attempt_questions", schema=None) as batch_op:
        batch_op.create_index("ix_attempt_questions_question", ["question_id", "correct"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attempt_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_questions_question")

    op.drop_table("attempt_questions")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_user_status")
        batch_op.drop_index("ix_attempts_status_deadline")
        batch_op.drop_index("ix_attempts_campaign_status")

    op.drop_table("attempts")
    with op.batch_alter_table("group_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_group_answers_user")

    op.drop_table("group_answers")
    with op.batch_alter_table("group_polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_polls_round_id"))

    op.drop_table("group_polls")
    with op.batch_alter_table("group_rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_group_rounds_status_next")
        batch_op.drop_index("ix_group_rounds_chat_status")

    op.drop_table("group_rounds")

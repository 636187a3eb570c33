"""audit_schools: the schools each audit entry concerns, so that a school admin's /audit shows theirs

Entries written before this revision name their school only in their text; those whose text says it
(grants, revokes and invites of a school or class, roster uploads, the dashboard's school and class
exports and reminders) get their school here. The rest stay the district's.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLACES = ("school", "class")


def school_in(action: str, detail: str) -> str | None:
    """The school an entry of the earlier revisions names in its text, if any."""
    words = detail.split()
    if action in ("grant", "revoke") and len(words) >= 3 and words[1] in PLACES:
        return words[2]  # "<user> school <id>", "<user> class <id> 5-1", "<user> class <id> 5 1 (invite)"
    if action == "invite" and len(words) >= 2 and words[0] in PLACES:
        return words[1]  # "school <id>", "class <id> 5-1"
    if action == "roster" and len(words) >= 2:
        return words[0]  # "<id> 5-1 (<count>)"
    if action in ("export", "remind") and len(words) == 4 and words[0] == "dashboard" and words[2] in PLACES:
        return words[3].partition(":")[0]  # "dashboard <campaign> school <id>", "... class <id>:5:1"
    return None


def upgrade() -> None:
    table = op.create_table(
        "audit_schools",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit_log.id"],
            name=op.f("fk_audit_schools_audit_id_audit_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("audit_id", "school_id", name=op.f("pk_audit_schools")),
    )
    op.create_index("ix_audit_schools_school", "audit_schools", ["school_id", "audit_id"], unique=False)
    entries = op.get_bind().execute(sa.text("SELECT id, action, detail FROM audit_log"))
    rows = [{"audit_id": id_, "school_id": school[:40]} for id_, action, detail in entries
            if (school := school_in(action, detail))]  # fmt: skip
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index("ix_audit_schools_school", table_name="audit_schools")
    op.drop_table("audit_schools")

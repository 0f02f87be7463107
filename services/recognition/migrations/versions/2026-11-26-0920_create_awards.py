"""Create rule progress (earliest qualifying events per rule and recipient) and awards.

Revision ID: r0004
Revises: r0003
Create Date: 2026-11-26 09:20
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "r0004"
down_revision: str | None = "r0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rule_progress",
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", "recipient", "recipient_id", name="pk_rule_progress"),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["recognition_rules.id"], name="fk_rule_progress_rule_id_recognition_rules"
        ),
    )
    op.create_table(
        "awards",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("evidence", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_awards"),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["recognition_rules.id"], name="fk_awards_rule_id_recognition_rules"
        ),
        # An anonymised award has no recipient; every other award has one.
        sa.CheckConstraint(
            "(recipient_id IS NULL) = (anonymised_at IS NOT NULL)", name="ck_awards_anonymised"
        ),
    )
    op.create_index("ix_awards_rule_id", "awards", ["rule_id"])
    op.create_index("ix_awards_recipient", "awards", ["recipient", "recipient_id"])


def downgrade() -> None:
    op.drop_table("awards")
    op.drop_table("rule_progress")

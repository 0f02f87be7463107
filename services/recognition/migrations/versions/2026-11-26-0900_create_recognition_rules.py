"""Create the recognition rules table (network rules from rules.toml, organisations' from the API).

Revision ID: r0002
Revises: r0001
Create Date: 2026-11-26 09:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "r0002"
down_revision: str | None = "r0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recognition_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.Text(), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("member_field", sa.Text(), nullable=True),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("conditions", postgresql.JSONB(), nullable=False),
        sa.Column("badge_name", sa.Text(), nullable=False),
        sa.Column("badge_description", sa.Text(), nullable=False),
        sa.Column("badge_criteria", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_recognition_rules"),
        sa.UniqueConstraint("slug", name="uq_recognition_rules_slug"),
        sa.CheckConstraint(
            "recipient IN ('member', 'team', 'project')", name="ck_recognition_rules_recipient"
        ),
        sa.CheckConstraint("threshold >= 1", name="ck_recognition_rules_threshold"),
        sa.CheckConstraint("source IN ('file', 'api')", name="ck_recognition_rules_source"),
    )
    op.create_index(
        "ix_recognition_rules_organisation_id", "recognition_rules", ["organisation_id"]
    )


def downgrade() -> None:
    op.drop_table("recognition_rules")

"""Create kudos (thank-yous) and nominations for network awards.

Revision ID: r0005
Revises: r0004
Create Date: 2026-11-26 09:30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "r0005"
down_revision: str | None = "r0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kudos",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("giver_id", sa.Uuid(), nullable=True),
        sa.Column("to_member_id", sa.Uuid(), nullable=True),
        sa.Column("to_project_id", sa.Uuid(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kudos"),
    )
    op.create_index("ix_kudos_giver_given_at", "kudos", ["giver_id", "given_at"])
    op.create_index("ix_kudos_to_member", "kudos", ["to_member_id", "given_at", "id"])
    op.create_index("ix_kudos_to_project_id", "kudos", ["to_project_id"])
    op.create_table(
        "nominations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("nominator_id", sa.Uuid(), nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("award_name", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_nominations"),
        sa.CheckConstraint(
            "status IN ('pending', 'granted', 'declined')", name="ck_nominations_status"
        ),
    )
    op.create_index(
        "ix_nominations_queue", "nominations", ["organisation_id", "status", "submitted_at"]
    )


def downgrade() -> None:
    op.drop_table("nominations")
    op.drop_table("kudos")

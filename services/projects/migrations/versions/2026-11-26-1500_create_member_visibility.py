"""Where each member may be shown, as membership last announced it.

Revision ID: p0003
Revises: p0002
Create Date: 2026-11-26 15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "p0003"
down_revision: str | None = "p0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_visibility",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("visibility", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name="pk_member_visibility"),
        sa.CheckConstraint("visibility IN ('hidden', 'organisation', 'network')", name="known_visibility"),
    )


def downgrade() -> None:
    op.drop_table("member_visibility")

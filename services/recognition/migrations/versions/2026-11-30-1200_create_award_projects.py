"""The projects a team badge was earned on: it is held once, and each project's first
improvement is still celebrated.

Revision ID: r0008
Revises: r0007
Create Date: 2026-11-30 12:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "r0008"
down_revision: str | None = "r0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "award_projects",
        sa.Column("award_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("credited_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("award_id", "project_id", name="pk_award_projects"),
        sa.ForeignKeyConstraint(["award_id"], ["awards.id"], name="fk_award_projects_award_id_awards"),
    )
    # Team badges given before this table existed count the project they were earned on (the
    # last event of their evidence decided them), as a rebuild from the topics would.
    op.execute(
        "INSERT INTO award_projects (award_id, project_id, event_id, credited_at) "
        "SELECT id, project_id, evidence[array_length(evidence, 1)], awarded_at FROM awards "
        "WHERE recipient = 'team' AND project_id IS NOT NULL AND array_length(evidence, 1) > 0"
    )


def downgrade() -> None:
    op.drop_table("award_projects")

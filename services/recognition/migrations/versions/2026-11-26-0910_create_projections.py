"""Create recognition's projections of members, projects and project teams (ids only, no names).

Revision ID: r0003
Revises: r0002
Create Date: 2026-11-26 09:10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "r0003"
down_revision: str | None = "r0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "projected_members",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("member_type", sa.Text(), nullable=True),
        sa.Column("visibility", sa.Text(), nullable=False),
        sa.Column("visibility_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("member_id", name="pk_projected_members"),
        sa.CheckConstraint(
            "visibility IN ('hidden', 'organisation', 'network')",
            name="ck_projected_members_visibility",
        ),
    )
    op.create_index(
        "ix_projected_members_organisation_id", "projected_members", ["organisation_id"]
    )
    op.create_table(
        "projected_projects",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("visibility", sa.Text(), nullable=False),
        sa.Column("visibility_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", name="pk_projected_projects"),
        sa.CheckConstraint(
            "visibility IN ('team', 'organisation', 'network')",
            name="ck_projected_projects_visibility",
        ),
    )
    op.create_index(
        "ix_projected_projects_organisation_id", "projected_projects", ["organisation_id"]
    )
    op.create_table(
        "project_team",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "member_id", name="pk_project_team"),
    )
    op.create_index("ix_project_team_member_id", "project_team", ["member_id"])


def downgrade() -> None:
    op.drop_table("project_team")
    op.drop_table("projected_projects")
    op.drop_table("projected_members")

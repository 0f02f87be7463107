"""Pulse month closures: each organisation-month whose figures were published, once.

Revision ID: m0003
Revises: m0002
Create Date: 2026-11-30 14:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m0003"
down_revision: str | None = "m0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The key is what makes publishing exactly once: several API copies insert with
    # ON CONFLICT DO NOTHING, and only the one whose row went in adds the event.
    op.create_table(
        "pulse_month_closures",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("energised_and_empowered", sa.Integer()),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "month", name="pk_pulse_month_closures"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_pulse_month_closures_organisation_id_organisations"),
    )


def downgrade() -> None:
    op.drop_table("pulse_month_closures")

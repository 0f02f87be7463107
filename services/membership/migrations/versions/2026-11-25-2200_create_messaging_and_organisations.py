"""Create the outbox and inbox tables, and organisations.

Revision ID: m0001
Revises:
Create Date: 2026-11-25 22:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from servicekit.migrations import create_messaging_tables, drop_messaging_tables

revision: str = "m0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("joined_network_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
    )
    # Names are unique regardless of case: "Riverside Trust" and "riverside trust" are one.
    op.execute("CREATE UNIQUE INDEX uq_organisations_name_lower ON organisations (lower(name))")


def downgrade() -> None:
    op.drop_table("organisations")
    drop_messaging_tables()

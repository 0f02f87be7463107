"""Members' standing (status and network role) as membership announces it: what their tokens may do.

Revision ID: p0004
Revises: p0003
Create Date: 2026-11-30 09:00
"""

from collections.abc import Sequence

from servicekit.standing import create_standing_table, drop_standing_table

revision: str = "p0004"
down_revision: str | None = "p0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_standing_table()


def downgrade() -> None:
    drop_standing_table()

"""Create the outbox and inbox tables.

Revision ID: r0001
Revises:
Create Date: 2026-11-25 22:00
"""

from collections.abc import Sequence

from servicekit.migrations import create_messaging_tables, drop_messaging_tables

revision: str = "r0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables()


def downgrade() -> None:
    drop_messaging_tables()

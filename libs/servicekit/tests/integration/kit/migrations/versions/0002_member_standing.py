"""Members' standing, as every service but membership keeps it.

Revision ID: kit0002
Revises: kit0001
"""

from servicekit.standing import create_standing_table, drop_standing_table

revision = "kit0002"
down_revision = "kit0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_standing_table()


def downgrade() -> None:
    drop_standing_table()

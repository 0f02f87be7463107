"""Messaging tables plus a business table (widgets) and a consumer effects table.

Revision ID: kit0001
Revises:
"""

from alembic import op
from servicekit.migrations import create_messaging_tables, drop_messaging_tables

revision = "kit0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.execute("CREATE TABLE widgets (id uuid PRIMARY KEY, name text NOT NULL)")
    # No unique constraint on event_id: a duplicated effect must be visible to the tests.
    op.execute(
        "CREATE TABLE effects (id bigserial PRIMARY KEY, consumer text NOT NULL, "
        "event_id uuid NOT NULL, key text NOT NULL, seq integer NOT NULL)"
    )


def downgrade() -> None:
    op.execute("DROP TABLE effects")
    op.execute("DROP TABLE widgets")
    drop_messaging_tables()

"""Create the celebrations table, which notifies listeners of each new celebration.

The consumer inserts celebrations in its own process; the API process LISTENs on
`recognition_celebrations` to push them to live subscribers. The payload is only the
celebration id: listeners read the row (and decide who may see it) themselves.

Revision ID: r0006
Revises: r0005
Create Date: 2026-11-26 09:40
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "r0006"
down_revision: str | None = "r0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "celebrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("from_member_id", sa.Uuid(), nullable=True),
        sa.Column("context_project_id", sa.Uuid(), nullable=True),
        sa.Column("award_id", sa.Uuid(), nullable=True),
        sa.Column("kudos_id", sa.Uuid(), nullable=True),
        sa.Column("nomination_id", sa.Uuid(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_celebrations"),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name="fk_celebrations_award_id_awards", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["kudos_id"], ["kudos.id"], name="fk_celebrations_kudos_id_kudos", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nominations.id"],
            name="fk_celebrations_nomination_id_nominations",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("kind IN ('badge', 'kudos', 'nomination')", name="ck_celebrations_kind"),
        # A celebration is about exactly one member or one project.
        sa.CheckConstraint(
            "(member_id IS NULL) <> (project_id IS NULL)", name="ck_celebrations_subject"
        ),
    )
    op.create_index("ix_celebrations_newest", "celebrations", ["posted_at", "id"])
    op.create_index("ix_celebrations_member_id", "celebrations", ["member_id"])
    op.create_index("ix_celebrations_project_id", "celebrations", ["project_id"])
    op.execute(
        """
        CREATE FUNCTION recognition_celebration_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('recognition_celebrations', NEW.id::text);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER celebrations_notify AFTER INSERT ON celebrations "
        "FOR EACH ROW EXECUTE FUNCTION recognition_celebration_notify()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS celebrations_notify ON celebrations")
    op.execute("DROP FUNCTION IF EXISTS recognition_celebration_notify()")
    op.drop_table("celebrations")

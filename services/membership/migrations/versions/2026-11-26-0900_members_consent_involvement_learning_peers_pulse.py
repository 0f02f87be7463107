"""Members, consent, involvement, learning, peer support and pulse tables, and the training catalogue.

Revision ID: m0002
Revises: m0001
Create Date: 2026-11-26 09:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "m0002"
down_revision: str | None = "m0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The catalogue as it was when this migration was written (later changes get new migrations).
MODULES = (
    ("what-is-qi", 1, True, "What quality improvement is",
     "How small, tested changes make care better, and how everyone can take part."),
    ("understanding-the-problem", 1, True, "Understanding the problem",
     "Mapping how things work now and listening to the people who give and receive care."),
    ("working-together", 1, True, "Working together as equals",
     "Co-production: staff, patients, carers and communities sharing decisions."),
    ("testing-changes", 2, True, "Testing changes in small steps",
     "Plan, Do, Study, Act (PDSA) cycles: try a change, see what happens, learn and adjust."),
    ("measuring-improvement", 2, True, "Measuring improvement",
     "Collecting data over time and reading run charts and control charts."),
    ("driver-diagrams", 2, True, "Planning what to change",
     "Driver diagrams: linking your aim to the things that affect it and ideas to try."),
    ("human-factors", 2, False, "Human factors",
     "How people, tasks and surroundings affect safety and reliability."),
    ("leading-projects", 3, True, "Leading an improvement project",
     "Bringing a team together, keeping momentum and reporting progress."),
    ("coaching-others", 3, True, "Coaching others",
     "Supporting other heroes to learn and to run their own improvements."),
    ("spreading-improvement", 3, True, "Spreading and sustaining improvement",
     "Helping a change take hold elsewhere and keeping it going."),
)


def ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text()),
        sa.Column("member_type", sa.Text(), nullable=False),
        sa.Column("network_role", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("profile_visibility", sa.Text(), nullable=False),
        sa.Column("visibility", sa.Text(), nullable=False),
        ts("invited_at"),
        sa.Column("invite_code_hash", sa.Text()),
        ts("invite_expires_at", True),
        ts("joined_at", True),
        ts("status_changed_at", True),
        sa.Column("interests", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("skills", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("easy_read", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("large_print", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("interpreter_language", sa.Text()),
        sa.Column("phone_contact_preferred", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("involvement_level", sa.Text()),
        sa.Column("reward_preference", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_members_organisation_id_organisations"),
    )
    op.create_index("ix_members_organisation_name", "members", ["organisation_id", "display_name", "id"])
    op.execute("CREATE UNIQUE INDEX uq_members_email ON members (email) WHERE email IS NOT NULL")
    op.execute("CREATE UNIQUE INDEX uq_members_invite_code_hash ON members (invite_code_hash) "
               "WHERE invite_code_hash IS NOT NULL")
    op.create_table(
        "consent_records",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        ts("recorded_at"),
        sa.PrimaryKeyConstraint("id", name="pk_consent_records"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_consent_records_member_id_members"),
    )
    op.create_index("ix_consent_records_member_id", "consent_records", ["member_id"])
    op.create_table(
        "involvement_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("took_place_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("activity", sa.Text()),
        sa.Column("reward_preference", sa.Text(), nullable=False),
        sa.Column("project_id", sa.Uuid()),
        ts("logged_at"),
        sa.PrimaryKeyConstraint("id", name="pk_involvement_entries"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_involvement_entries_member_id_members"),
        sa.CheckConstraint("minutes > 0", name="minutes_positive"),
    )
    op.create_index("ix_involvement_entries_member", "involvement_entries", ["member_id", "took_place_on"])
    op.create_table(
        "training_modules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("organisation_id", sa.Uuid()),
        sa.PrimaryKeyConstraint("id", name="pk_training_modules"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_training_modules_organisation_id_organisations"),
        sa.CheckConstraint("level BETWEEN 1 AND 3", name="level_range"),
    )
    op.create_table(
        "training_completions",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("module_id", sa.Uuid(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        ts("recorded_at"),
        sa.PrimaryKeyConstraint("member_id", "module_id", name="pk_training_completions"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_training_completions_member_id_members"),
        sa.ForeignKeyConstraint(["module_id"], ["training_modules.id"],
                                name="fk_training_completions_module_id_training_modules"),
    )
    op.create_table(
        "member_levels",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        ts("achieved_at"),
        sa.PrimaryKeyConstraint("member_id", "level", name="pk_member_levels"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_member_levels_member_id_members"),
    )
    op.create_table(
        "pairings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("first_member_id", sa.Uuid(), nullable=False),
        sa.Column("second_member_id", sa.Uuid(), nullable=False),
        sa.Column("crosses_organisations", sa.Boolean(), nullable=False),
        ts("paired_at"),
        ts("ended_at", True),
        sa.PrimaryKeyConstraint("id", name="pk_pairings"),
        sa.ForeignKeyConstraint(["first_member_id"], ["members.id"], name="fk_pairings_first_member_id_members"),
        sa.ForeignKeyConstraint(["second_member_id"], ["members.id"], name="fk_pairings_second_member_id_members"),
    )
    # Two members have at most one pairing running at a time, whichever way round.
    op.execute(
        "CREATE UNIQUE INDEX uq_pairings_active_pair ON pairings "
        "(LEAST(first_member_id, second_member_id), GREATEST(first_member_id, second_member_id)) "
        "WHERE ended_at IS NULL"
    )
    op.create_table(
        "pairing_check_ins",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pairing_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text()),
        ts("recorded_at"),
        sa.PrimaryKeyConstraint("id", name="pk_pairing_check_ins"),
        sa.ForeignKeyConstraint(["pairing_id"], ["pairings.id"], name="fk_pairing_check_ins_pairing_id_pairings"),
        sa.ForeignKeyConstraint(["recorded_by"], ["members.id"], name="fk_pairing_check_ins_recorded_by_members"),
    )
    op.create_table(
        "pulse_submissions",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "month", name="pk_pulse_submissions"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_pulse_submissions_member_id_members"),
    )
    op.create_table(
        "pulse_responses",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("answers", postgresql.ARRAY(sa.SmallInteger()), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pulse_responses"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_pulse_responses_organisation_id_organisations"),
    )
    op.create_index("ix_pulse_responses_organisation_month", "pulse_responses", ["organisation_id", "month"])
    from uuid import UUID, uuid5

    namespace = UUID("c47a1090-0000-4000-8000-000000000000")
    modules = sa.table(
        "training_modules",
        sa.column("id", sa.Uuid()), sa.column("title", sa.Text()), sa.column("description", sa.Text()),
        sa.column("level", sa.SmallInteger()), sa.column("required", sa.Boolean()),
        sa.column("organisation_id", sa.Uuid()),
    )
    op.bulk_insert(modules, [
        {"id": uuid5(namespace, slug), "title": title, "description": description, "level": level,
         "required": required, "organisation_id": None}
        for slug, level, required, title, description in MODULES
    ])


def downgrade() -> None:
    for table in ("pulse_responses", "pulse_submissions", "pairing_check_ins", "pairings", "member_levels",
                  "training_completions", "training_modules", "involvement_entries", "consent_records", "members"):
        op.drop_table(table)

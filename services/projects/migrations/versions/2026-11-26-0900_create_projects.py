"""Create the projects tables: projects, teams, driver diagrams, PDSA cycles, measures and data.

Revision ID: p0002
Revises: p0001
Create Date: 2026-11-26 09:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "p0002"
down_revision: str | None = "p0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE TABLE projects (
        id uuid PRIMARY KEY,
        organisation_id uuid NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        aim_what text,
        aim_how_much text,
        aim_by_when date,
        themes text[] NOT NULL,
        themes_text text NOT NULL,
        partner_organisation_ids uuid[] NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('team', 'organisation', 'network')),
        stage text NOT NULL,
        co_production_level text,
        proposed_by uuid,
        proposed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        search_text text GENERATED ALWAYS AS (
            title || ' ' || themes_text || ' ' || coalesce(aim_what, '') || ' ' || summary
        ) STORED,
        search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A') ||
            setweight(to_tsvector('english', themes_text), 'A') ||
            setweight(to_tsvector('english', coalesce(aim_what, '') || ' ' || coalesce(aim_how_much, '')), 'B') ||
            setweight(to_tsvector('english', summary), 'C')
        ) STORED
    )
    """,
    "CREATE INDEX ix_projects_organisation_id ON projects (organisation_id, proposed_at DESC, id DESC)",
    "CREATE INDEX ix_projects_listing ON projects (proposed_at DESC, id DESC)",
    "CREATE INDEX ix_projects_partners ON projects USING gin (partner_organisation_ids)",
    "CREATE INDEX ix_projects_search_vector ON projects USING gin (search_vector)",
    "CREATE INDEX ix_projects_search_text ON projects USING gin (search_text gin_trgm_ops)",
    """
    CREATE TABLE team_members (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id),
        member_id uuid,
        role text NOT NULL,
        joined_at timestamptz NOT NULL,
        left_at timestamptz,
        is_anonymised boolean NOT NULL DEFAULT false
    )
    """,
    "CREATE INDEX ix_team_members_project_id ON team_members (project_id)",
    "CREATE INDEX ix_team_members_member_id ON team_members (member_id) WHERE left_at IS NULL",
    # One current seat per member and project; the real guard behind AlreadyOnTeam.
    """CREATE UNIQUE INDEX uq_team_members_current ON team_members (project_id, member_id)
       WHERE left_at IS NULL AND member_id IS NOT NULL""",
    """
    CREATE TABLE diagram_items (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id),
        kind text NOT NULL CHECK (kind IN ('primary_driver', 'secondary_driver', 'change_idea')),
        parent_id uuid REFERENCES diagram_items (id),
        text text NOT NULL,
        description text NOT NULL,
        position integer NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL
    )
    """,
    "CREATE INDEX ix_diagram_items_project_id ON diagram_items (project_id)",
    """
    CREATE TABLE pdsa_cycles (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id),
        change_idea_id uuid NOT NULL REFERENCES diagram_items (id),
        number integer NOT NULL,
        previous_cycle_id uuid REFERENCES pdsa_cycles (id),
        status text NOT NULL,
        plan text NOT NULL,
        prediction text NOT NULL,
        started_by uuid,
        led_by uuid,
        started_at timestamptz NOT NULL,
        do_notes text NOT NULL,
        what_happened text NOT NULL,
        studied_by uuid,
        studied_at timestamptz,
        decision text,
        act_notes text NOT NULL,
        completed_by uuid,
        completed_at timestamptz,
        CONSTRAINT uq_pdsa_cycles_change_idea_id UNIQUE (change_idea_id, number)
    )
    """,
    "CREATE INDEX ix_pdsa_cycles_project_id ON pdsa_cycles (project_id)",
    """
    CREATE TABLE measures (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id),
        name text NOT NULL,
        definition text NOT NULL,
        kind text NOT NULL,
        unit text NOT NULL,
        direction text NOT NULL,
        target double precision,
        rule_set text,
        rebase_on date[] NOT NULL,
        defined_by uuid,
        defined_at timestamptz NOT NULL
    )
    """,
    "CREATE INDEX ix_measures_project_id ON measures (project_id)",
    """
    CREATE TABLE measurements (
        id uuid PRIMARY KEY,
        measure_id uuid NOT NULL REFERENCES measures (id),
        observed_on date NOT NULL,
        value double precision NOT NULL,
        annotation text,
        is_astronomical boolean NOT NULL DEFAULT false,
        revision integer NOT NULL,
        recorded_by uuid,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT uq_measurements_measure_id UNIQUE (measure_id, observed_on)
    )
    """,
    """
    CREATE TABLE measurement_revisions (
        id uuid PRIMARY KEY,
        measurement_id uuid NOT NULL REFERENCES measurements (id),
        number integer NOT NULL,
        previous_value double precision NOT NULL,
        previous_annotation text,
        value double precision NOT NULL,
        annotation text,
        reason text NOT NULL,
        revised_by uuid,
        revised_at timestamptz NOT NULL
    )
    """,
    "CREATE INDEX ix_measurement_revisions_measurement_id ON measurement_revisions (measurement_id)",
    """
    CREATE TABLE announced_signals (
        measure_id uuid NOT NULL REFERENCES measures (id),
        rule_set text NOT NULL,
        rule text NOT NULL,
        first_point_on date NOT NULL,
        nature text NOT NULL,
        announced_at timestamptz NOT NULL,
        CONSTRAINT pk_announced_signals PRIMARY KEY (measure_id, rule_set, rule, first_point_on, nature)
    )
    """,
    """
    CREATE TABLE organisation_settings (
        organisation_id uuid PRIMARY KEY,
        default_rule_set text NOT NULL,
        updated_by uuid,
        updated_at timestamptz NOT NULL
    )
    """,
]

DOWNGRADE = [
    "DROP TABLE organisation_settings",
    "DROP TABLE announced_signals",
    "DROP TABLE measurement_revisions",
    "DROP TABLE measurements",
    "DROP TABLE measures",
    "DROP TABLE pdsa_cycles",
    "DROP TABLE diagram_items",
    "DROP TABLE team_members",
    "DROP TABLE projects",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)

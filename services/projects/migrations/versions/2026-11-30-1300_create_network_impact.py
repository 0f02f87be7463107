"""The network's impact: facts and states built from every service's events, and the network's
own driver diagram (seeded with the MAC Heroes aim and drivers).

Revision ID: p0005
Revises: p0004
Create Date: 2026-11-30 13:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from projects.impact.catalogue import AIM, DRIVERS, seeded_driver_id

revision: str = "p0005"
down_revision: str | None = "p0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "impact_facts",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        _when("occurred_at"),
        sa.Column("organisation_id", sa.Uuid()),
        sa.Column("member_id", sa.Uuid()),
        sa.Column("project_id", sa.Uuid()),
        sa.Column("detail", sa.Text()),
    )
    op.create_index("ix_impact_facts_kind_month", "impact_facts", ["kind", "month"])
    op.create_table(
        "impact_people",
        sa.Column("member_id", sa.Uuid(), primary_key=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("type_group", sa.Text(), nullable=False),
    )
    op.create_table(
        "impact_projects",
        sa.Column("project_id", sa.Uuid(), primary_key=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        _when("started_at"),
        _when("ended_at", nullable=True),
    )
    op.create_table(
        "impact_seats",
        sa.Column("project_id", sa.Uuid(), primary_key=True),
        sa.Column("member_id", sa.Uuid(), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("role", sa.Text(), nullable=False),
        _when("ended_at", nullable=True),
    )
    op.create_table(
        "impact_pairings",
        sa.Column("pairing_id", sa.Uuid(), primary_key=True),
        sa.Column("first_member_id", sa.Uuid(), nullable=False),
        sa.Column("second_member_id", sa.Uuid(), nullable=False),
        sa.Column("crosses_organisations", sa.Boolean(), nullable=False),
        _when("started_at"),
        _when("ended_at", nullable=True),
    )
    op.create_table(
        "impact_pulse",
        sa.Column("organisation_id", sa.Uuid(), primary_key=True),
        sa.Column("month", sa.Text(), primary_key=True),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Integer()),
        sa.CheckConstraint("positive IS NULL OR responses >= 5", name="pulse_groups_of_five"),
    )
    aim = op.create_table(
        "network_aim",
        sa.Column("id", sa.SmallInteger(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        _when("changed_at"),
        sa.CheckConstraint("id = 1", name="one_aim"),
    )
    drivers = op.create_table(
        "network_drivers",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    attached = op.create_table(
        "network_measure_drivers",
        sa.Column("measure_key", sa.Text(), primary_key=True),
        sa.Column("driver_id", sa.Uuid(), sa.ForeignKey("network_drivers.id", ondelete="CASCADE"),
                  nullable=False),
    )
    now = datetime.now(UTC)
    op.bulk_insert(aim, [{"id": 1, "text": AIM, "changed_at": now}])
    op.bulk_insert(drivers, [{"id": seeded_driver_id(position), "text": text, "position": position}
                             for position, (text, _) in enumerate(DRIVERS)])
    op.bulk_insert(attached, [{"measure_key": key, "driver_id": seeded_driver_id(position)}
                              for position, (_, keys) in enumerate(DRIVERS) for key in keys])


def downgrade() -> None:
    for table in ("network_measure_drivers", "network_drivers", "network_aim", "impact_pulse",
                  "impact_pairings", "impact_seats", "impact_projects", "impact_people", "impact_facts"):
        op.drop_table(table)

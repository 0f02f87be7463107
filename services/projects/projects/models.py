"""Projects tables (SQLAlchemy mappings only). The migration in migrations/versions creates them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from servicekit.db import new_metadata
from sqlalchemy import Boolean, Computed, Date, DateTime, Double, ForeignKey, Integer, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SEARCH_TEXT = "title || ' ' || themes_text || ' ' || coalesce(aim_what, '') || ' ' || summary"
SEARCH_VECTOR = (
    "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', themes_text), 'A') || "
    "setweight(to_tsvector('english', coalesce(aim_what, '') || ' ' || coalesce(aim_how_much, '')), 'B') || "
    "setweight(to_tsvector('english', summary), 'C')"
)


class Base(DeclarativeBase):
    metadata = new_metadata()


def _when() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True))


class ProjectRow(Base):
    __tablename__ = "projects"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    organisation_id: Mapped[UUID] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    aim_what: Mapped[str | None] = mapped_column(Text)
    aim_how_much: Mapped[str | None] = mapped_column(Text)
    aim_by_when: Mapped[date | None] = mapped_column(Date)
    themes: Mapped[list[str]] = mapped_column(ARRAY(Text))
    themes_text: Mapped[str] = mapped_column(Text)  # themes joined, for search
    partner_organisation_ids: Mapped[list[UUID]] = mapped_column(ARRAY(Uuid))
    visibility: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(Text)
    co_production_level: Mapped[str | None] = mapped_column(Text)
    proposed_by: Mapped[UUID | None] = mapped_column()
    proposed_at: Mapped[datetime] = _when()
    updated_at: Mapped[datetime] = _when()
    search_text: Mapped[str] = mapped_column(Text, Computed(SEARCH_TEXT, persisted=True))
    search_vector: Mapped[str] = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR, persisted=True))


class TeamSeatRow(Base):
    __tablename__ = "team_members"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    project_id: Mapped[UUID] = mapped_column(ForeignKey("projects.id"), index=True)
    member_id: Mapped[UUID | None] = mapped_column(index=True)
    role: Mapped[str] = mapped_column(Text)
    joined_at: Mapped[datetime] = _when()
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_anonymised: Mapped[bool] = mapped_column(Boolean, default=False)


class DiagramItemRow(Base):
    __tablename__ = "diagram_items"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    project_id: Mapped[UUID] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[UUID | None] = mapped_column(ForeignKey("diagram_items.id"))
    text: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[UUID | None] = mapped_column()
    created_at: Mapped[datetime] = _when()


class PdsaCycleRow(Base):
    __tablename__ = "pdsa_cycles"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    project_id: Mapped[UUID] = mapped_column(ForeignKey("projects.id"), index=True)
    change_idea_id: Mapped[UUID] = mapped_column(ForeignKey("diagram_items.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    previous_cycle_id: Mapped[UUID | None] = mapped_column(ForeignKey("pdsa_cycles.id"))
    status: Mapped[str] = mapped_column(Text)
    plan: Mapped[str] = mapped_column(Text)
    prediction: Mapped[str] = mapped_column(Text)
    started_by: Mapped[UUID | None] = mapped_column()
    led_by: Mapped[UUID | None] = mapped_column()
    started_at: Mapped[datetime] = _when()
    do_notes: Mapped[str] = mapped_column(Text)
    what_happened: Mapped[str] = mapped_column(Text)
    studied_by: Mapped[UUID | None] = mapped_column()
    studied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str | None] = mapped_column(Text)
    act_notes: Mapped[str] = mapped_column(Text)
    completed_by: Mapped[UUID | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MeasureRow(Base):
    __tablename__ = "measures"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    project_id: Mapped[UUID] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(Text)
    target: Mapped[float | None] = mapped_column(Double)
    rule_set: Mapped[str | None] = mapped_column(Text)
    rebase_on: Mapped[list[date]] = mapped_column(ARRAY(Date))
    defined_by: Mapped[UUID | None] = mapped_column()
    defined_at: Mapped[datetime] = _when()


class MeasurementRow(Base):
    __tablename__ = "measurements"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    measure_id: Mapped[UUID] = mapped_column(ForeignKey("measures.id"))
    observed_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Double)
    annotation: Mapped[str | None] = mapped_column(Text)
    is_astronomical: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = _when()


class MeasurementRevisionRow(Base):
    __tablename__ = "measurement_revisions"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    measurement_id: Mapped[UUID] = mapped_column(ForeignKey("measurements.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    previous_value: Mapped[float] = mapped_column(Double)
    previous_annotation: Mapped[str | None] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Double)
    annotation: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    revised_by: Mapped[UUID | None] = mapped_column()
    revised_at: Mapped[datetime] = _when()


class AnnouncedSignalRow(Base):
    """Signals already sent as events, so each is announced once."""

    __tablename__ = "announced_signals"

    measure_id: Mapped[UUID] = mapped_column(ForeignKey("measures.id"), primary_key=True)
    rule_set: Mapped[str] = mapped_column(Text, primary_key=True)
    rule: Mapped[str] = mapped_column(Text, primary_key=True)
    first_point_on: Mapped[date] = mapped_column(Date, primary_key=True)
    nature: Mapped[str] = mapped_column(Text, primary_key=True)
    announced_at: Mapped[datetime] = _when()


class OrganisationSettingsRow(Base):
    __tablename__ = "organisation_settings"

    organisation_id: Mapped[UUID] = mapped_column(primary_key=True)
    default_rule_set: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[UUID | None] = mapped_column()
    updated_at: Mapped[datetime] = _when()


class MemberVisibilityRow(Base):
    """Where a member may be shown, as membership last announced (ids and an enum only)."""

    __tablename__ = "member_visibility"

    member_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    organisation_id: Mapped[UUID] = mapped_column(Uuid)
    visibility: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = _when()

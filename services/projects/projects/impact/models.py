"""Impact tables (mappings only; migration p0005 creates them). Ids, enums, counts and times:
what events carry, never a name or a pulse answer."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, Integer, SmallInteger, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from projects.models import Base


def _when() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True))


class ImpactFactRow(Base):
    """One countable thing that happened (a member joined, a cycle completed, kudos given...),
    kept per event so a replay counts each once and any order of arrival gives the same figures."""

    __tablename__ = "impact_facts"

    event_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    month: Mapped[str] = mapped_column(Text)  # YYYY-MM (UTC)
    occurred_at: Mapped[datetime] = _when()
    organisation_id: Mapped[UUID | None] = mapped_column(Uuid)
    member_id: Mapped[UUID | None] = mapped_column(Uuid)
    project_id: Mapped[UUID | None] = mapped_column(Uuid)
    detail: Mapped[str | None] = mapped_column(Text)


class ImpactPersonRow(Base):
    """A member's organisation and type group (staff, service_user, carer, community)."""

    __tablename__ = "impact_people"

    member_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    organisation_id: Mapped[UUID] = mapped_column(Uuid)
    type_group: Mapped[str] = mapped_column(Text)


class ImpactProjectRow(Base):
    __tablename__ = "impact_projects"

    project_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    organisation_id: Mapped[UUID] = mapped_column(Uuid)
    started_at: Mapped[datetime] = _when()
    ended_at: Mapped[datetime | None] = _when()


class ImpactSeatRow(Base):
    """A stretch of time a member held one role on a project's team."""

    __tablename__ = "impact_seats"

    project_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    member_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    role: Mapped[str] = mapped_column(Text)
    ended_at: Mapped[datetime | None] = _when()


class ImpactPairingRow(Base):
    __tablename__ = "impact_pairings"

    pairing_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    first_member_id: Mapped[UUID] = mapped_column(Uuid)
    second_member_id: Mapped[UUID] = mapped_column(Uuid)
    crosses_organisations: Mapped[bool] = mapped_column()
    started_at: Mapped[datetime] = _when()
    ended_at: Mapped[datetime | None] = _when()


class ImpactPulseRow(Base):
    """A closed pulse month of one organisation: counts only, and no count of positive answers
    when fewer than 5 answered (membership never sends one)."""

    __tablename__ = "impact_pulse"

    organisation_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    month: Mapped[str] = mapped_column(Text, primary_key=True)
    responses: Mapped[int] = mapped_column(Integer)
    positive: Mapped[int | None] = mapped_column(Integer)


class NetworkAimRow(Base):
    __tablename__ = "network_aim"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # always 1
    text: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = _when()


class NetworkDriverRow(Base):
    __tablename__ = "network_drivers"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class MeasureDriverRow(Base):
    """Which driver a measure evidences (a measure on no driver has no row)."""

    __tablename__ = "network_measure_drivers"

    measure_key: Mapped[str] = mapped_column(Text, primary_key=True)
    driver_id: Mapped[UUID] = mapped_column(ForeignKey("network_drivers.id", ondelete="CASCADE"))

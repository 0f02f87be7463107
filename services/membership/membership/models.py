"""Membership tables (SQLAlchemy mappings only)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from servicekit.db import new_metadata
from sqlalchemy import ARRAY, Boolean, Date, DateTime, ForeignKey, Integer, SmallInteger, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = new_metadata()


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    region: Mapped[str] = mapped_column(Text)
    joined_network_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MemberRow(Base):
    __tablename__ = "members"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisations.id"))
    display_name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    member_type: Mapped[str] = mapped_column(Text)
    network_role: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    profile_visibility: Mapped[str] = mapped_column(Text)
    # Where the member may be shown, kept in step with profile, status and consent.
    visibility: Mapped[str] = mapped_column(Text)
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    invite_code_hash: Mapped[str | None] = mapped_column(Text)
    invite_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    interests: Mapped[list[str]] = mapped_column(ARRAY(Text))
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text))
    easy_read: Mapped[bool] = mapped_column(Boolean)
    large_print: Mapped[bool] = mapped_column(Boolean)
    interpreter_language: Mapped[str | None] = mapped_column(Text)
    phone_contact_preferred: Mapped[bool] = mapped_column(Boolean)
    involvement_level: Mapped[str | None] = mapped_column(Text)
    reward_preference: Mapped[str | None] = mapped_column(Text)


class ConsentRow(Base):
    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    member_id: Mapped[UUID] = mapped_column(ForeignKey("members.id"))
    purpose: Mapped[str] = mapped_column(Text)
    given: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InvolvementRow(Base):
    __tablename__ = "involvement_entries"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    member_id: Mapped[UUID] = mapped_column(ForeignKey("members.id"))
    took_place_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str | None] = mapped_column(Text)
    reward_preference: Mapped[str] = mapped_column(Text)
    project_id: Mapped[UUID | None] = mapped_column()
    logged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ModuleRow(Base):
    __tablename__ = "training_modules"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(SmallInteger)
    required: Mapped[bool] = mapped_column(Boolean)
    organisation_id: Mapped[UUID | None] = mapped_column(ForeignKey("organisations.id"))


class CompletionRow(Base):
    __tablename__ = "training_completions"

    member_id: Mapped[UUID] = mapped_column(ForeignKey("members.id"), primary_key=True)
    module_id: Mapped[UUID] = mapped_column(ForeignKey("training_modules.id"), primary_key=True)
    completed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LevelRow(Base):
    __tablename__ = "member_levels"

    member_id: Mapped[UUID] = mapped_column(ForeignKey("members.id"), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    achieved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PairingRow(Base):
    __tablename__ = "pairings"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    first_member_id: Mapped[UUID] = mapped_column(ForeignKey("members.id"))
    second_member_id: Mapped[UUID] = mapped_column(ForeignKey("members.id"))
    crosses_organisations: Mapped[bool] = mapped_column(Boolean)
    paired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CheckInRow(Base):
    __tablename__ = "pairing_check_ins"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    pairing_id: Mapped[UUID] = mapped_column(ForeignKey("pairings.id"))
    recorded_by: Mapped[UUID] = mapped_column(ForeignKey("members.id"))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PulseSubmissionRow(Base):
    """Who answered in which month (for the once-a-month rule); never what they answered."""

    __tablename__ = "pulse_submissions"

    member_id: Mapped[UUID] = mapped_column(ForeignKey("members.id"), primary_key=True)
    month: Mapped[str] = mapped_column(Text, primary_key=True)


class PulseResponseRow(Base):
    """The answers, with no member id: only organisation and month, so they stay anonymous."""

    __tablename__ = "pulse_responses"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisations.id"))
    month: Mapped[str] = mapped_column(Text)
    answers: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger))


class PulseMonthClosureRow(Base):
    """An organisation-month whose figures were published (PulseMonthClosed): at most once each."""

    __tablename__ = "pulse_month_closures"

    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    month: Mapped[str] = mapped_column(Text, primary_key=True)
    responses: Mapped[int] = mapped_column(Integer)
    energised_and_empowered: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

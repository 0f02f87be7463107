"""Recognition tables (SQLAlchemy mappings only). Ids of people and projects, never their names."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from servicekit.db import new_metadata
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Channel the celebrations table notifies on; the API process listens to push live updates.
CELEBRATIONS_CHANNEL = "recognition_celebrations"


class Base(DeclarativeBase):
    metadata = new_metadata()


class RuleRow(Base):
    __tablename__ = "recognition_rules"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(Text, unique=True)
    organisation_id: Mapped[UUID | None] = mapped_column(index=True)
    trigger: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(Text)
    member_field: Mapped[str | None] = mapped_column(Text)
    threshold: Mapped[int] = mapped_column(Integer)
    conditions: Mapped[dict[str, list[str]]] = mapped_column(JSONB)
    badge_name: Mapped[str] = mapped_column(Text)
    badge_description: Mapped[str] = mapped_column(Text)
    badge_criteria: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # "file" or "api"
    created_by: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MemberRow(Base):
    __tablename__ = "projected_members"

    member_id: Mapped[UUID] = mapped_column(primary_key=True)
    organisation_id: Mapped[UUID | None] = mapped_column(index=True)
    member_type: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(Text)
    visibility_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(Text)
    status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProjectRow(Base):
    __tablename__ = "projected_projects"

    project_id: Mapped[UUID] = mapped_column(primary_key=True)
    organisation_id: Mapped[UUID | None] = mapped_column(index=True)
    visibility: Mapped[str] = mapped_column(Text)
    visibility_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stage: Mapped[str | None] = mapped_column(Text)


class TeamMemberRow(Base):
    __tablename__ = "project_team"

    project_id: Mapped[UUID] = mapped_column(primary_key=True)
    member_id: Mapped[UUID] = mapped_column(primary_key=True, index=True)
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text))


class ProgressRow(Base):
    __tablename__ = "rule_progress"

    rule_id: Mapped[UUID] = mapped_column(ForeignKey("recognition_rules.id"), primary_key=True)
    recipient: Mapped[str] = mapped_column(Text, primary_key=True)
    recipient_id: Mapped[UUID] = mapped_column(primary_key=True)
    # The earliest qualifying events so far: [[occurred_at, event_id, project_id], ...]
    evidence: Mapped[list[list[Any]]] = mapped_column(JSONB)


class AwardRow(Base):
    __tablename__ = "awards"
    __table_args__ = (Index("ix_awards_recipient", "recipient", "recipient_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    rule_id: Mapped[UUID] = mapped_column(ForeignKey("recognition_rules.id"), index=True)
    recipient: Mapped[str] = mapped_column(Text)
    recipient_id: Mapped[UUID | None]  # None once the member is erased (the award is anonymised)
    project_id: Mapped[UUID | None]
    evidence: Mapped[list[UUID]] = mapped_column(ARRAY(Uuid))
    awarded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AwardProjectRow(Base):
    """A project a team badge was earned on (the badge is held once; each project is celebrated)."""

    __tablename__ = "award_projects"

    award_id: Mapped[UUID] = mapped_column(ForeignKey("awards.id"), primary_key=True)
    project_id: Mapped[UUID] = mapped_column(primary_key=True)
    event_id: Mapped[UUID]
    credited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KudosRow(Base):
    __tablename__ = "kudos"
    __table_args__ = (
        Index("ix_kudos_giver_given_at", "giver_id", "given_at"),
        Index("ix_kudos_to_member", "to_member_id", "given_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    giver_id: Mapped[UUID | None]
    to_member_id: Mapped[UUID | None]
    to_project_id: Mapped[UUID | None] = mapped_column(index=True)
    message: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean)
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    message_removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NominationRow(Base):
    __tablename__ = "nominations"
    __table_args__ = (Index("ix_nominations_queue", "organisation_id", "status", "submitted_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    nominator_id: Mapped[UUID | None]
    member_id: Mapped[UUID | None]
    project_id: Mapped[UUID | None]
    organisation_id: Mapped[UUID]
    award_name: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[UUID | None]
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)


class CelebrationRow(Base):
    __tablename__ = "celebrations"
    __table_args__ = (Index("ix_celebrations_newest", "posted_at", "id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    member_id: Mapped[UUID | None] = mapped_column(index=True)
    project_id: Mapped[UUID | None] = mapped_column(index=True)
    from_member_id: Mapped[UUID | None]
    context_project_id: Mapped[UUID | None]
    award_id: Mapped[UUID | None] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"))
    kudos_id: Mapped[UUID | None] = mapped_column(ForeignKey("kudos.id", ondelete="CASCADE"))
    nomination_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE")
    )
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

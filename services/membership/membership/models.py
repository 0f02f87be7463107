"""Membership tables (SQLAlchemy mappings only)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from servicekit.db import new_metadata
from sqlalchemy import DateTime, Text
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

"""Events membership publishes on `membership.events.v1`: ids, enums, counts and times only."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from servicekit.events import Event

from membership.domain import OrganisationKind


class MembershipEvent(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"


class OrganisationRegistered(MembershipEvent):
    name: ClassVar[str] = "membership.organisation_registered"
    organisation_id: UUID
    kind: OrganisationKind
    joined_network_at: datetime


ALL_EVENTS: tuple[type[MembershipEvent], ...] = (OrganisationRegistered,)

"""The events projects consumes, as projects reads them.

Declared here rather than imported from membership, so this service depends on the
published event contract (type, version, fields) and not on membership's code.
Unknown extra fields are ignored, so membership may add optional fields freely.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from servicekit.events import Event


class MemberErased(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"
    name: ClassVar[str] = "membership.member_erased"
    member_id: UUID
    organisation_id: UUID
    erased_at: datetime


class MemberJoined(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"
    name: ClassVar[str] = "membership.member_joined"
    member_id: UUID
    organisation_id: UUID
    network_role: str
    visibility: str
    joined_at: datetime


class MemberInvited(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"
    name: ClassVar[str] = "membership.member_invited"
    member_id: UUID
    organisation_id: UUID
    network_role: str
    invited_at: datetime


class MemberStatusChanged(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"
    name: ClassVar[str] = "membership.member_status_changed"
    member_id: UUID
    organisation_id: UUID
    status: str
    changed_at: datetime


class MemberRoleChanged(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"
    name: ClassVar[str] = "membership.member_role_changed"
    member_id: UUID
    organisation_id: UUID
    network_role: str
    changed_at: datetime


class MemberVisibilityChanged(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"
    name: ClassVar[str] = "membership.member_visibility_changed"
    member_id: UUID
    organisation_id: UUID
    visibility: str
    changed_at: datetime

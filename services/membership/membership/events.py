"""Events membership publishes on `membership.events.v1`: ids, enums, counts and times only.

Key: the member id for member events, the organisation id for organisation events (a closed
pulse month is one) and the pairing id for pairing events. Never names, emails, free text or what a consent says:
`MemberVisibilityChanged` tells other services only where a member may now be shown.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from servicekit.events import Event

from membership.domain.consent import Visibility


class MembershipEvent(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"


class OrganisationRegistered(MembershipEvent):
    name: ClassVar[str] = "membership.organisation_registered"
    organisation_id: UUID
    kind: str
    joined_network_at: datetime


class MemberInvited(MembershipEvent):
    name: ClassVar[str] = "membership.member_invited"
    member_id: UUID
    organisation_id: UUID
    member_type: str
    network_role: str
    invited_at: datetime


class MemberJoined(MembershipEvent):
    name: ClassVar[str] = "membership.member_joined"
    member_id: UUID
    organisation_id: UUID
    member_type: str
    network_role: str
    visibility: Visibility
    joined_at: datetime


class MemberStatusChanged(MembershipEvent):
    name: ClassVar[str] = "membership.member_status_changed"
    member_id: UUID
    organisation_id: UUID
    previous_status: str
    status: str
    changed_at: datetime


class MemberRoleChanged(MembershipEvent):
    name: ClassVar[str] = "membership.member_role_changed"
    member_id: UUID
    organisation_id: UUID
    network_role: str
    changed_at: datetime


class MemberVisibilityChanged(MembershipEvent):
    name: ClassVar[str] = "membership.member_visibility_changed"
    member_id: UUID
    organisation_id: UUID
    visibility: Visibility
    changed_at: datetime


class InvolvementLevelSet(MembershipEvent):
    name: ClassVar[str] = "membership.involvement_level_set"
    member_id: UUID
    organisation_id: UUID
    level: str
    set_at: datetime


class InvolvementLogged(MembershipEvent):
    name: ClassVar[str] = "membership.involvement_logged"
    member_id: UUID
    organisation_id: UUID
    entry_id: UUID
    minutes: int
    took_place_on: date
    project_id: UUID | None = None
    logged_at: datetime


class TrainingCompleted(MembershipEvent):
    name: ClassVar[str] = "membership.training_completed"
    member_id: UUID
    organisation_id: UUID
    module_id: UUID
    level: int
    completed_at: datetime


class LevelAchieved(MembershipEvent):
    name: ClassVar[str] = "membership.level_achieved"
    member_id: UUID
    organisation_id: UUID
    level: int
    achieved_at: datetime


class PeersPaired(MembershipEvent):
    name: ClassVar[str] = "membership.peers_paired"
    pairing_id: UUID
    kind: str
    first_member_id: UUID
    second_member_id: UUID
    crosses_organisations: bool
    paired_at: datetime


class PairingEnded(MembershipEvent):
    name: ClassVar[str] = "membership.pairing_ended"
    pairing_id: UUID
    ended_at: datetime


class PulseSubmitted(MembershipEvent):
    name: ClassVar[str] = "membership.pulse_submitted"
    member_id: UUID
    organisation_id: UUID
    month: str  # YYYY-MM; the answers never leave membership
    submitted_at: datetime


class PulseMonthClosed(MembershipEvent):
    """An organisation's pulse month has ended: how many answered, and how many felt energised and
    empowered (4 or 5 to both statement 1 and statement 2), that figure only for 5 or more answers.
    Published once per organisation-month with at least one answer."""

    name: ClassVar[str] = "membership.pulse_month_closed"
    organisation_id: UUID
    month: str  # YYYY-MM
    responses: int
    energised_and_empowered: int | None  # None when responses < 5: no figure for a small group
    closed_at: datetime


class MemberErased(MembershipEvent):
    name: ClassVar[str] = "membership.member_erased"
    member_id: UUID
    organisation_id: UUID
    erased_at: datetime


ALL_EVENTS: tuple[type[MembershipEvent], ...] = (
    OrganisationRegistered,
    MemberInvited,
    MemberJoined,
    MemberStatusChanged,
    MemberRoleChanged,
    MemberVisibilityChanged,
    InvolvementLevelSet,
    InvolvementLogged,
    TrainingCompleted,
    LevelAchieved,
    PeersPaired,
    PairingEnded,
    PulseSubmitted,
    PulseMonthClosed,
    MemberErased,
)

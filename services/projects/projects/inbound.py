"""The events projects consumes, as projects reads them.

Declared here rather than imported from membership, so this service depends on the
published event contract (type, version, fields) and not on membership's code.
Unknown extra fields are ignored, so membership may add optional fields freely.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal
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
    member_type: str | None = None  # the network's impact counts joiners by type
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


# --- for the network's impact (projects.impact) -------------------------------------------------


class MembershipEvent(Event):
    topic: ClassVar[str] = "membership.events.v1"
    source: ClassVar[str] = "/membership"


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


class PulseMonthClosed(MembershipEvent):
    """A month's pulse of one organisation, as counts; no positive count for fewer than 5 answers."""

    name: ClassVar[str] = "membership.pulse_month_closed"
    organisation_id: UUID
    month: str
    responses: int
    energised_and_empowered: int | None = None
    closed_at: datetime


class RecognitionEvent(Event):
    topic: ClassVar[str] = "recognition.events.v1"
    source: ClassVar[str] = "/recognition"


class BadgeAwarded(RecognitionEvent):
    name: ClassVar[str] = "recognition.badge_awarded"
    award_id: UUID
    recipient: str
    member_id: UUID | None = None
    project_id: UUID | None = None
    awarded_at: datetime


class KudosGiven(RecognitionEvent):
    name: ClassVar[str] = "recognition.kudos_given"
    kudos_id: UUID
    to_member_id: UUID | None = None
    to_project_id: UUID | None = None
    given_at: datetime


class NominationDecided(RecognitionEvent):
    name: ClassVar[str] = "recognition.nomination_decided"
    nomination_id: UUID
    organisation_id: UUID
    member_id: UUID | None = None
    project_id: UUID | None = None
    decision: Literal["granted", "declined"]
    decided_at: datetime

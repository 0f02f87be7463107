"""Events recognition publishes on `recognition.events.v1` for feeds outside the system.

Thin on purpose: ids, enums and times; never names, kudos messages, nomination
reasons or notes. Key: the recipient member id, or the project id. Feeds look names
up through the GraphQL API, which applies each member's latest consent.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID

from servicekit.events import Event

TOPIC = "recognition.events.v1"


class RecognitionEvent(Event):
    topic: ClassVar[str] = TOPIC
    source: ClassVar[str] = "/recognition"


class BadgeAwarded(RecognitionEvent):
    """A rule awarded its badge. `award_id` is the same if the award is ever rebuilt from events."""

    name: ClassVar[str] = "recognition.badge_awarded"
    award_id: UUID
    rule_id: UUID
    recipient: Literal["member", "team", "project"]
    member_id: UUID | None
    project_id: UUID | None
    evidence: list[UUID]
    awarded_at: datetime


class KudosGiven(RecognitionEvent):
    name: ClassVar[str] = "recognition.kudos_given"
    kudos_id: UUID
    from_member_id: UUID
    to_member_id: UUID | None
    to_project_id: UUID | None
    is_public: bool
    given_at: datetime


class NominationSubmitted(RecognitionEvent):
    name: ClassVar[str] = "recognition.nomination_submitted"
    nomination_id: UUID
    organisation_id: UUID
    member_id: UUID | None
    project_id: UUID | None
    submitted_at: datetime


class NominationDecided(RecognitionEvent):
    name: ClassVar[str] = "recognition.nomination_decided"
    nomination_id: UUID
    organisation_id: UUID
    member_id: UUID | None
    project_id: UUID | None
    decision: Literal["granted", "declined"]
    decided_at: datetime


class CelebrationPosted(RecognitionEvent):
    """A celebration appeared in the feed. `shared_with` says who may see it at posting time."""

    name: ClassVar[str] = "recognition.celebration_posted"
    celebration_id: UUID
    kind: Literal["badge", "kudos", "nomination"]
    member_id: UUID | None
    project_id: UUID | None
    organisation_id: UUID | None
    shared_with: Literal["network", "organisation", "team", "hidden"]
    award_id: UUID | None = None
    kudos_id: UUID | None = None
    nomination_id: UUID | None = None
    posted_at: datetime


ALL_EVENTS: tuple[type[RecognitionEvent], ...] = (
    BadgeAwarded,
    KudosGiven,
    NominationSubmitted,
    NominationDecided,
    CelebrationPosted,
)

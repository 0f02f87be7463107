"""The membership and projects events recognition consumes, as recognition reads them.

Services are separate deployables, so these are recognition's own copies of the
published contracts (same topic, source, name and version). Fields recognition does
not declare are ignored; a payload missing a declared field goes to the DLQ. Enumerations
recognition only compares (stages, roles, decisions, rule sets...) are read as text, so a
new value never sends a valid event to the DLQ; visibility, which recognition must act on,
is checked.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID

from servicekit.events import Event

MEMBERSHIP_TOPIC = "membership.events.v1"
PROJECTS_TOPIC = "projects.events.v1"

MemberVisibility = Literal["hidden", "organisation", "network"]
ProjectVisibility = Literal["team", "organisation", "network"]


class MembershipEvent(Event):
    topic: ClassVar[str] = MEMBERSHIP_TOPIC
    source: ClassVar[str] = "/membership"


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
    visibility: MemberVisibility
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
    visibility: MemberVisibility
    changed_at: datetime


class MemberErased(MembershipEvent):
    name: ClassVar[str] = "membership.member_erased"
    member_id: UUID
    organisation_id: UUID
    erased_at: datetime


class LevelAchieved(MembershipEvent):
    name: ClassVar[str] = "membership.level_achieved"
    member_id: UUID
    organisation_id: UUID
    level: int
    achieved_at: datetime


class TrainingCompleted(MembershipEvent):
    name: ClassVar[str] = "membership.training_completed"
    member_id: UUID
    organisation_id: UUID
    module_id: UUID
    level: int
    completed_at: datetime


class InvolvementLogged(MembershipEvent):
    name: ClassVar[str] = "membership.involvement_logged"
    member_id: UUID
    organisation_id: UUID
    entry_id: UUID
    minutes: int
    took_place_on: date
    project_id: UUID | None = None
    logged_at: datetime


class PeersPaired(MembershipEvent):
    name: ClassVar[str] = "membership.peers_paired"
    pairing_id: UUID
    kind: str
    first_member_id: UUID
    second_member_id: UUID
    crosses_organisations: bool
    paired_at: datetime


class ProjectsEvent(Event):
    topic: ClassVar[str] = PROJECTS_TOPIC
    source: ClassVar[str] = "/projects"
    project_id: UUID
    organisation_id: UUID


class ProjectProposed(ProjectsEvent):
    name: ClassVar[str] = "projects.project_proposed"
    proposed_by: UUID
    visibility: ProjectVisibility
    stage: str
    proposed_at: datetime


class ProjectVisibilityChanged(ProjectsEvent):
    name: ClassVar[str] = "projects.project_visibility_changed"
    visibility: ProjectVisibility
    changed_at: datetime


class TeamMemberAdded(ProjectsEvent):
    name: ClassVar[str] = "projects.team_member_added"
    member_id: UUID
    role: str
    added_at: datetime


class TeamMemberLeft(ProjectsEvent):
    name: ClassVar[str] = "projects.team_member_left"
    member_id: UUID
    role: str
    left_at: datetime


class StageAdvanced(ProjectsEvent):
    name: ClassVar[str] = "projects.stage_advanced"
    from_stage: str
    to_stage: str
    advanced_at: datetime


class PdsaCycleStarted(ProjectsEvent):
    name: ClassVar[str] = "projects.pdsa_cycle_started"
    cycle_id: UUID
    change_idea_id: UUID
    started_by: UUID
    started_at: datetime


class PdsaCycleCompleted(ProjectsEvent):
    name: ClassVar[str] = "projects.pdsa_cycle_completed"
    cycle_id: UUID
    change_idea_id: UUID
    decision: str
    completed_by: UUID
    completed_at: datetime


class MeasureDefined(ProjectsEvent):
    name: ClassVar[str] = "projects.measure_defined"
    measure_id: UUID
    kind: str
    improvement_direction: str
    defined_at: datetime


class MeasurementRecorded(ProjectsEvent):
    name: ClassVar[str] = "projects.measurement_recorded"
    measure_id: UUID
    point_id: UUID
    recorded_at: datetime


class MeasureSignalDetected(ProjectsEvent):
    name: ClassVar[str] = "projects.measure_signal_detected"
    measure_id: UUID
    measure_kind: str
    rule_set: str
    rule: str
    nature: str
    first_point_on: date
    last_point_on: date
    detected_at: datetime


# The time field that says when each event happened (what rules and evidence are dated by).
OCCURRED_AT: dict[type[Event], str] = {
    MemberInvited: "invited_at",
    MemberJoined: "joined_at",
    MemberStatusChanged: "changed_at",
    MemberRoleChanged: "changed_at",
    MemberVisibilityChanged: "changed_at",
    MemberErased: "erased_at",
    LevelAchieved: "achieved_at",
    TrainingCompleted: "completed_at",
    InvolvementLogged: "logged_at",
    PeersPaired: "paired_at",
    ProjectProposed: "proposed_at",
    ProjectVisibilityChanged: "changed_at",
    TeamMemberAdded: "added_at",
    TeamMemberLeft: "left_at",
    StageAdvanced: "advanced_at",
    PdsaCycleStarted: "started_at",
    PdsaCycleCompleted: "completed_at",
    MeasureDefined: "defined_at",
    MeasurementRecorded: "recorded_at",
    MeasureSignalDetected: "detected_at",
}

CONSUMED: tuple[type[Event], ...] = tuple(OCCURRED_AT)

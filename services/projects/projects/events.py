"""Events projects publishes on `projects.events.v1`: ids, enums, counts and times only.

Key: the project id (organisation events: the organisation id). Never titles, aims, notes
or anything else written in words. Enum values are lowercase snake_case strings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from servicekit.events import Event


class ProjectsEvent(Event):
    topic: ClassVar[str] = "projects.events.v1"
    source: ClassVar[str] = "/projects"


class ProjectProposed(ProjectsEvent):
    name: ClassVar[str] = "projects.project_proposed"
    project_id: UUID
    organisation_id: UUID
    proposed_by: UUID
    visibility: str
    stage: str
    proposed_at: datetime


class ProjectVisibilityChanged(ProjectsEvent):
    name: ClassVar[str] = "projects.project_visibility_changed"
    project_id: UUID
    organisation_id: UUID
    visibility: str
    changed_at: datetime


class ProjectDetailsChanged(ProjectsEvent):
    """Title, summary, aim, themes or partners changed; says which, never what they say."""

    name: ClassVar[str] = "projects.project_details_changed"
    project_id: UUID
    organisation_id: UUID
    fields: list[str]
    changed_at: datetime


class TeamMemberAdded(ProjectsEvent):
    name: ClassVar[str] = "projects.team_member_added"
    project_id: UUID
    organisation_id: UUID
    member_id: UUID
    role: str
    added_at: datetime


class TeamMemberLeft(ProjectsEvent):
    name: ClassVar[str] = "projects.team_member_left"
    project_id: UUID
    organisation_id: UUID
    member_id: UUID
    role: str
    left_at: datetime


class TeamRoleChanged(ProjectsEvent):
    name: ClassVar[str] = "projects.team_role_changed"
    project_id: UUID
    organisation_id: UUID
    member_id: UUID
    from_role: str
    to_role: str
    changed_at: datetime


class StageAdvanced(ProjectsEvent):
    name: ClassVar[str] = "projects.stage_advanced"
    project_id: UUID
    organisation_id: UUID
    from_stage: str
    to_stage: str
    advanced_at: datetime


class ProjectClosed(ProjectsEvent):
    """The project reached a final stage: `outcome` is closed or abandoned."""

    name: ClassVar[str] = "projects.project_closed"
    project_id: UUID
    organisation_id: UUID
    outcome: str
    closed_at: datetime


class DriverAdded(ProjectsEvent):
    name: ClassVar[str] = "projects.driver_added"
    project_id: UUID
    organisation_id: UUID
    driver_id: UUID
    level: str  # primary | secondary
    parent_driver_id: UUID | None = None
    added_at: datetime


class ChangeIdeaAdded(ProjectsEvent):
    name: ClassVar[str] = "projects.change_idea_added"
    project_id: UUID
    organisation_id: UUID
    change_idea_id: UUID
    driver_id: UUID
    added_at: datetime


class DiagramItemRemoved(ProjectsEvent):
    name: ClassVar[str] = "projects.diagram_item_removed"
    project_id: UUID
    organisation_id: UUID
    item_id: UUID
    kind: str
    items_removed: int
    removed_at: datetime


class PdsaCycleStarted(ProjectsEvent):
    name: ClassVar[str] = "projects.pdsa_cycle_started"
    project_id: UUID
    organisation_id: UUID
    cycle_id: UUID
    change_idea_id: UUID
    started_by: UUID
    previous_cycle_id: UUID | None = None
    started_at: datetime


class PdsaCycleStudied(ProjectsEvent):
    name: ClassVar[str] = "projects.pdsa_cycle_studied"
    project_id: UUID
    organisation_id: UUID
    cycle_id: UUID
    change_idea_id: UUID
    studied_by: UUID
    studied_at: datetime


class PdsaCycleCompleted(ProjectsEvent):
    """`completed_by` is the member credited with the cycle: whoever led it."""

    name: ClassVar[str] = "projects.pdsa_cycle_completed"
    project_id: UUID
    organisation_id: UUID
    cycle_id: UUID
    change_idea_id: UUID
    decision: str
    completed_by: UUID
    completed_at: datetime


class MeasureDefined(ProjectsEvent):
    name: ClassVar[str] = "projects.measure_defined"
    project_id: UUID
    organisation_id: UUID
    measure_id: UUID
    kind: str
    improvement_direction: str
    defined_at: datetime


class MeasurementRecorded(ProjectsEvent):
    name: ClassVar[str] = "projects.measurement_recorded"
    project_id: UUID
    organisation_id: UUID
    measure_id: UUID
    point_id: UUID
    recorded_at: datetime


class MeasurementCorrected(ProjectsEvent):
    name: ClassVar[str] = "projects.measurement_corrected"
    project_id: UUID
    organisation_id: UUID
    measure_id: UUID
    point_id: UUID
    revision: int
    corrected_at: datetime


class MeasureSignalDetected(ProjectsEvent):
    """Sent once per signal when it first appears after data are recorded or corrected."""

    name: ClassVar[str] = "projects.measure_signal_detected"
    project_id: UUID
    organisation_id: UUID
    measure_id: UUID
    measure_kind: str
    rule_set: str
    rule: str
    nature: str
    first_point_on: date
    last_point_on: date
    detected_at: datetime


class DefaultRuleSetChanged(ProjectsEvent):
    """An organisation chose the SPC rule set its measures use unless a measure says otherwise."""

    name: ClassVar[str] = "projects.default_rule_set_changed"
    organisation_id: UUID
    rule_set: str
    changed_at: datetime


ALL_EVENTS: tuple[type[ProjectsEvent], ...] = (
    ProjectProposed,
    ProjectVisibilityChanged,
    ProjectDetailsChanged,
    TeamMemberAdded,
    TeamMemberLeft,
    TeamRoleChanged,
    StageAdvanced,
    ProjectClosed,
    DriverAdded,
    ChangeIdeaAdded,
    DiagramItemRemoved,
    PdsaCycleStarted,
    PdsaCycleStudied,
    PdsaCycleCompleted,
    MeasureDefined,
    MeasurementRecorded,
    MeasurementCorrected,
    MeasureSignalDetected,
    DefaultRuleSetChanged,
)

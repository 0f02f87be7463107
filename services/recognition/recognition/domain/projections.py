"""What recognition remembers of members and projects, kept up to date from their events.

Only ids, organisations, visibility, status, stage and team roles: never names.
Each field remembers when it was last announced, so an older announcement
arriving late never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class MemberVisibility(StrEnum):
    """Where a member may be shown, after consent and profile choices (as membership announces)."""

    HIDDEN = "hidden"
    ORGANISATION = "organisation"
    NETWORK = "network"


class ProjectVisibility(StrEnum):
    TEAM = "team"
    ORGANISATION = "organisation"
    NETWORK = "network"


# Members in these states are never shown, whatever their visibility says.
NOT_SHOWN_STATUSES = frozenset({"left", "erased"})


@dataclass(slots=True)
class MemberView:
    member_id: UUID
    organisation_id: UUID | None = None
    member_type: str | None = None
    visibility: MemberVisibility = MemberVisibility.HIDDEN  # never shown until membership says so
    visibility_at: datetime | None = None
    status: str = "invited"
    status_at: datetime | None = None
    erased_at: datetime | None = None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_shown(self) -> bool:
        return not self.is_erased and self.status not in NOT_SHOWN_STATUSES

    def set_visibility(self, visibility: str, at: datetime) -> None:
        if _newer(at, self.visibility_at) and not self.is_erased:
            self.visibility = MemberVisibility(visibility)
            self.visibility_at = at

    def set_status(self, status: str, at: datetime) -> None:
        if _newer(at, self.status_at) and not self.is_erased:
            self.status = status
            self.status_at = at

    def erase(self, at: datetime) -> None:
        if self.erased_at is None or at < self.erased_at:
            self.erased_at = at
        self.status, self.status_at = "erased", at
        self.visibility, self.visibility_at = MemberVisibility.HIDDEN, at


@dataclass(slots=True)
class ProjectView:
    project_id: UUID
    organisation_id: UUID | None = None
    visibility: ProjectVisibility = ProjectVisibility.TEAM  # the narrowest until projects says so
    visibility_at: datetime | None = None
    stage: str | None = None
    team: dict[UUID, set[str]] = field(default_factory=dict)

    def set_visibility(self, visibility: str, at: datetime) -> None:
        if _newer(at, self.visibility_at):
            self.visibility = ProjectVisibility(visibility)
            self.visibility_at = at

    def team_member_ids(self) -> list[UUID]:
        return sorted(self.team)


def _newer(at: datetime, previous: datetime | None) -> bool:
    return previous is None or at >= previous


@dataclass
class WorkingSet:
    """The projections one batch of events touches, with what it changed."""

    members: dict[UUID, MemberView] = field(default_factory=dict)
    projects: dict[UUID, ProjectView] = field(default_factory=dict)
    changed_members: set[UUID] = field(default_factory=set)
    changed_projects: set[UUID] = field(default_factory=set)
    erased: dict[UUID, datetime] = field(default_factory=dict)

    def member(self, member_id: UUID) -> MemberView:
        self.changed_members.add(member_id)
        return self.members.setdefault(member_id, MemberView(member_id))

    def project(self, project_id: UUID) -> ProjectView:
        self.changed_projects.add(project_id)
        return self.projects.setdefault(project_id, ProjectView(project_id))


Attributes = Mapping[str, Any]


def _uuid(attributes: Attributes, name: str) -> UUID:
    return UUID(str(attributes[name]))


def _time(attributes: Attributes, name: str) -> datetime:
    value = attributes[name]
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _member_invited(ws: WorkingSet, a: Attributes) -> None:
    member = ws.member(_uuid(a, "member_id"))
    member.organisation_id, member.member_type = _uuid(a, "organisation_id"), str(a["member_type"])
    member.set_status("invited", _time(a, "invited_at"))


def _member_joined(ws: WorkingSet, a: Attributes) -> None:
    member = ws.member(_uuid(a, "member_id"))
    member.organisation_id, member.member_type = _uuid(a, "organisation_id"), str(a["member_type"])
    member.set_status("active", _time(a, "joined_at"))
    member.set_visibility(str(a["visibility"]), _time(a, "joined_at"))


def _member_status_changed(ws: WorkingSet, a: Attributes) -> None:
    ws.member(_uuid(a, "member_id")).set_status(str(a["status"]), _time(a, "changed_at"))


def _member_visibility_changed(ws: WorkingSet, a: Attributes) -> None:
    ws.member(_uuid(a, "member_id")).set_visibility(str(a["visibility"]), _time(a, "changed_at"))


def _member_erased(ws: WorkingSet, a: Attributes) -> None:
    member_id, at = _uuid(a, "member_id"), _time(a, "erased_at")
    member = ws.member(member_id)
    member.organisation_id = member.organisation_id or _uuid(a, "organisation_id")
    member.erase(at)
    ws.erased[member_id] = member.erased_at or at


def _project_proposed(ws: WorkingSet, a: Attributes) -> None:
    project = ws.project(_uuid(a, "project_id"))
    project.organisation_id = _uuid(a, "organisation_id")
    project.set_visibility(str(a["visibility"]), _time(a, "proposed_at"))
    project.stage = project.stage or str(a["stage"])


def _project_visibility_changed(ws: WorkingSet, a: Attributes) -> None:
    project = ws.project(_uuid(a, "project_id"))
    project.organisation_id = project.organisation_id or _uuid(a, "organisation_id")
    project.set_visibility(str(a["visibility"]), _time(a, "changed_at"))


def _team_member_added(ws: WorkingSet, a: Attributes) -> None:
    project = ws.project(_uuid(a, "project_id"))
    project.organisation_id = project.organisation_id or _uuid(a, "organisation_id")
    project.team.setdefault(_uuid(a, "member_id"), set()).add(str(a["role"]))


def _team_member_left(ws: WorkingSet, a: Attributes) -> None:
    project = ws.project(_uuid(a, "project_id"))
    member_id = _uuid(a, "member_id")
    roles = project.team.get(member_id, set())
    roles.discard(str(a["role"]))
    if not roles:
        project.team.pop(member_id, None)


def _stage_advanced(ws: WorkingSet, a: Attributes) -> None:
    project = ws.project(_uuid(a, "project_id"))
    project.organisation_id = project.organisation_id or _uuid(a, "organisation_id")
    project.stage = str(a["to_stage"])


PROJECTORS: Mapping[str, Callable[[WorkingSet, Attributes], None]] = {
    "membership.member_invited": _member_invited,
    "membership.member_joined": _member_joined,
    "membership.member_status_changed": _member_status_changed,
    "membership.member_visibility_changed": _member_visibility_changed,
    "membership.member_erased": _member_erased,
    "projects.project_proposed": _project_proposed,
    "projects.project_visibility_changed": _project_visibility_changed,
    "projects.team_member_added": _team_member_added,
    "projects.team_member_left": _team_member_left,
    "projects.stage_advanced": _stage_advanced,
}

# Which projection each event type updates, so a batch can load them up front.
MEMBER_EVENTS = frozenset(name for name in PROJECTORS if name.startswith("membership."))
PROJECT_EVENTS = frozenset(name for name in PROJECTORS if name.startswith("projects."))

"""Who may see what: members by their announced visibility, projects by theirs, celebrations both.

The celebration feed applies the same rules in SQL (see repository/celebrations.py);
these functions are the reference, used for single items and live subscriptions.
Nothing is shown to someone who is not signed in, and nothing is shown of a member
or project recognition has not heard about yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from servicekit.identity import Principal

from recognition.domain.projections import (
    MemberView,
    MemberVisibility,
    ProjectView,
    ProjectVisibility,
)


class FeedScope(StrEnum):
    ORGANISATION = "organisation"  # the caller's own organisation
    NETWORK = "network"  # what is shared with the whole network


class CelebrationKind(StrEnum):
    BADGE = "badge"
    KUDOS = "kudos"
    NOMINATION = "nomination"


def member_visible(member: MemberView | None, viewer: Principal) -> bool:
    """May `viewer` see this member (and so their badges and public thank-yous)?"""
    if member is None or viewer.is_anonymous:
        return False
    if viewer.member_id == member.member_id and not member.is_erased:
        return True
    if not member.is_shown:
        return False
    if member.visibility is MemberVisibility.NETWORK:
        return True
    return (
        member.visibility is MemberVisibility.ORGANISATION
        and member.organisation_id == viewer.organisation_id
    )


def project_visible(project: ProjectView | None, viewer: Principal) -> bool:
    if project is None or viewer.is_anonymous or project.organisation_id is None:
        return False
    if project.visibility is ProjectVisibility.NETWORK:
        return True
    if (
        project.organisation_id == viewer.organisation_id
        and project.visibility is ProjectVisibility.ORGANISATION
    ):
        return True
    return viewer.member_id in project.team or viewer.is_coordinator_of(project.organisation_id)


def shared_with_network(member: MemberView | None, project: ProjectView | None) -> bool:
    if member is not None:
        return member.is_shown and member.visibility is MemberVisibility.NETWORK
    return project is not None and project.visibility is ProjectVisibility.NETWORK


def audience(member: MemberView | None, project: ProjectView | None) -> str:
    """Who a celebration is shared with right now: network, organisation, team or hidden."""
    if member is not None:
        return member.visibility.value if member.is_shown else MemberVisibility.HIDDEN.value
    if project is not None and project.organisation_id is not None:
        return project.visibility.value
    return MemberVisibility.HIDDEN.value


@dataclass(frozen=True, slots=True)
class CelebrationView:
    """A celebration with what recognition knows of the people and project it mentions."""

    id: UUID
    kind: CelebrationKind
    title: str
    description: str | None
    message: str | None
    posted_at: datetime
    member_id: UUID | None
    project_id: UUID | None
    member: MemberView | None = None
    project: ProjectView | None = None
    from_member_id: UUID | None = None
    from_member: MemberView | None = None
    context_project_id: UUID | None = None
    context_project: ProjectView | None = None

    @property
    def organisation_id(self) -> UUID | None:
        """The organisation whose feed it belongs to: the member's, else the project's."""
        if self.member_id is not None:
            return self.member.organisation_id if self.member else None
        return self.project.organisation_id if self.project else None


def celebration_visible(celebration: CelebrationView, viewer: Principal, scope: FeedScope) -> bool:
    """Whether `celebration` belongs in `viewer`'s feed of `scope`."""
    if viewer.is_anonymous:
        return False
    subject_member = celebration.member if celebration.member_id is not None else None
    subject_project = celebration.project if celebration.member_id is None else None
    if celebration.member_id is not None and (
        subject_member is None or not subject_member.is_shown
    ):
        return False
    if scope is FeedScope.NETWORK:
        return shared_with_network(subject_member, subject_project)
    if celebration.organisation_id is None or celebration.organisation_id != viewer.organisation_id:
        return False
    if subject_member is not None:
        return subject_member.visibility is not MemberVisibility.HIDDEN
    return project_visible(subject_project, viewer)


def celebration_seen(celebration: CelebrationView, viewer: Principal) -> bool:
    """Whether `viewer` may see `celebration` anywhere: in a feed, or on its project's page."""
    if any(celebration_visible(celebration, viewer, scope) for scope in FeedScope):
        return True
    return celebration.member_id is None and project_visible(celebration.project, viewer)

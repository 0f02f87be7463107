"""Use cases for a project itself: proposing, editing, its team and its stage."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from servicekit import outbox
from servicekit.errors import NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from projects import domain
from projects.events import (
    ProjectClosed,
    ProjectDetailsChanged,
    ProjectProposed,
    ProjectVisibilityChanged,
    StageAdvanced,
    TeamMemberAdded,
    TeamMemberLeft,
    TeamRoleChanged,
)
from projects.repository import ProjectRepository
from projects.service.common import changeable_project, utcnow

# Domain attribute -> the GraphQL field name that ProjectDetailsChanged reports.
DETAIL_FIELDS = {
    "title": "title",
    "summary": "summary",
    "aim": "aim",
    "themes": "themes",
    "co_production_level": "coProductionLevel",
    "partner_organisation_ids": "partnerOrganisationIds",
}


async def propose_project(
    session: AsyncSession,
    principal: Principal,
    *,
    title: str,
    summary: str = "",
    aim: domain.Aim | None = None,
    themes: Sequence[str] = (),
    visibility: domain.Visibility = domain.Visibility.ORGANISATION,
    co_production_level: domain.CoProductionLevel | None = None,
    partner_organisation_ids: Sequence[UUID] = (),
    project_id: UUID | None = None,
) -> domain.Project:
    """A new project in the caller's organisation, led by the caller; queues ProjectProposed and TeamMemberAdded."""
    member_id = principal.require_member()
    if principal.organisation_id is None:
        raise NotAllowed(
            "Your sign-in does not say which organisation you belong to, so you cannot start a project."
        )
    project = domain.Project.propose(
        organisation_id=principal.organisation_id,
        proposed_by=member_id,
        title=title,
        summary=summary,
        aim=aim,
        themes=themes,
        visibility=visibility,
        co_production_level=co_production_level,
        partner_organisation_ids=partner_organisation_ids,
        now=utcnow(),
        id=project_id,
    )
    await ProjectRepository(session).add(project)
    await outbox.add(
        session,
        ProjectProposed(
            project_id=project.id,
            organisation_id=project.organisation_id,
            proposed_by=member_id,
            visibility=project.visibility,
            stage=project.stage,
            proposed_at=project.proposed_at,
        ),
        key=project.id,
    )
    [lead] = project.team
    await _joined(session, project, lead, member_id)
    return project


async def update_project(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    visibility: domain.Visibility | None = None,
    **details: object,
) -> domain.Project:
    """Change details and/or visibility (allowed on finished projects too, to share what was learned)."""
    project = await changeable_project(session, principal, project_id, open_only=False)
    now = utcnow()
    revised = project.revise(now=now, **details)  # type: ignore[arg-type]
    changed = [
        name
        for attr, name in DETAIL_FIELDS.items()
        if getattr(revised, attr) != getattr(project, attr)
    ]
    visibility_changed = visibility is not None and visibility is not project.visibility
    if not changed and not visibility_changed:
        return project
    if visibility is not None and visibility_changed:
        revised = revised.with_visibility(visibility, now)
        await outbox.add(
            session,
            ProjectVisibilityChanged(
                project_id=project.id,
                organisation_id=project.organisation_id,
                visibility=visibility,
                changed_at=now,
            ),
            key=project.id,
        )
    if changed:
        await outbox.add(
            session,
            ProjectDetailsChanged(
                project_id=project.id,
                organisation_id=project.organisation_id,
                fields=changed,
                changed_at=now,
            ),
            key=project.id,
        )
    await ProjectRepository(session).save(revised)
    return revised


async def add_team_member(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    member_id: UUID,
    role: domain.TeamRole,
) -> tuple[domain.Project, domain.TeamSeat]:
    project = await changeable_project(session, principal, project_id)
    project, seat = project.add_member(member_id, role, utcnow())
    await ProjectRepository(session).save(project)
    await _joined(session, project, seat, member_id)
    return project, seat


async def remove_team_member(
    session: AsyncSession, principal: Principal, project_id: UUID, *, member_id: UUID | None = None
) -> domain.Project:
    """`member_id` leaves the team (the caller when None); allowed on finished projects too."""
    leaving = member_id or principal.require_member()
    project = await changeable_project(session, principal, project_id, open_only=False)
    now = utcnow()
    project, seat = project.remove_member(leaving, now)
    await ProjectRepository(session).save(project)
    await outbox.add(
        session,
        TeamMemberLeft(
            project_id=project.id,
            organisation_id=project.organisation_id,
            member_id=leaving,
            role=seat.role,
            left_at=now,
        ),
        key=project.id,
    )
    return project


async def change_team_role(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    member_id: UUID,
    role: domain.TeamRole,
) -> tuple[domain.Project, domain.TeamSeat]:
    project = await changeable_project(session, principal, project_id)
    now = utcnow()
    project, before, after = project.change_role(member_id, role, now)
    if before.role is not after.role:
        await ProjectRepository(session).save(project)
        await outbox.add(
            session,
            TeamRoleChanged(
                project_id=project.id,
                organisation_id=project.organisation_id,
                member_id=member_id,
                from_role=before.role,
                to_role=after.role,
                changed_at=now,
            ),
            key=project.id,
        )
    return project, after


async def advance_stage(
    session: AsyncSession, principal: Principal, project_id: UUID, *, to_stage: domain.Stage
) -> domain.Project:
    """Move to another stage; queues StageAdvanced, and ProjectClosed when the stage is final."""
    project = await changeable_project(session, principal, project_id, open_only=False)
    now = utcnow()
    moved = project.move_to(to_stage, now)
    await ProjectRepository(session).save(moved)
    await outbox.add(
        session,
        StageAdvanced(
            project_id=project.id,
            organisation_id=project.organisation_id,
            from_stage=project.stage,
            to_stage=moved.stage,
            advanced_at=now,
        ),
        key=project.id,
    )
    if moved.is_finished:
        await outbox.add(
            session,
            ProjectClosed(
                project_id=project.id,
                organisation_id=project.organisation_id,
                outcome=moved.stage,
                closed_at=now,
            ),
            key=project.id,
        )
    return moved


async def _joined(
    session: AsyncSession, project: domain.Project, seat: domain.TeamSeat, member_id: UUID
) -> None:
    await outbox.add(
        session,
        TeamMemberAdded(
            project_id=project.id,
            organisation_id=project.organisation_id,
            member_id=member_id,
            role=seat.role,
            added_at=seat.joined_at,
        ),
        key=project.id,
    )

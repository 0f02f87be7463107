"""Reading and writing the member and project projections (ids, visibility, status, team roles)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Row, Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.projections import (
    MemberView,
    MemberVisibility,
    ProjectView,
    ProjectVisibility,
)
from recognition.models import MemberRow, ProjectRow, TeamMemberRow
from recognition.repository import among

_members = cast(Table, MemberRow.__table__)
_projects = cast(Table, ProjectRow.__table__)
_team = cast(Table, TeamMemberRow.__table__)


class ProjectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def members(self, ids: Collection[UUID]) -> dict[UUID, MemberView]:
        if not ids:
            return {}
        rows = await self.session.execute(select(_members).where(among(_members.c.member_id, ids)))
        return {row.member_id: _member(row) for row in rows}

    async def member(self, member_id: UUID) -> MemberView | None:
        return (await self.members([member_id])).get(member_id)

    async def projects(self, ids: Collection[UUID]) -> dict[UUID, ProjectView]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(_projects).where(among(_projects.c.project_id, ids))
        )
        found = {row.project_id: _project(row) for row in rows}
        team = await self.session.execute(
            select(_team.c.project_id, _team.c.member_id, _team.c.roles).where(
                among(_team.c.project_id, ids)
            )
        )
        for project_id, member_id, roles in team:
            view = found.setdefault(project_id, ProjectView(project_id))
            view.team[member_id] = set(roles)
        return found

    async def project(self, project_id: UUID) -> ProjectView | None:
        return (await self.projects([project_id])).get(project_id)

    async def erased(self, member_ids: Collection[UUID]) -> dict[UUID, datetime]:
        """When each of these members was erased, for those that were."""
        if not member_ids:
            return {}
        rows = await self.session.execute(
            select(_members.c.member_id, _members.c.erased_at).where(
                among(_members.c.member_id, member_ids), _members.c.erased_at.is_not(None)
            )
        )
        return {row.member_id: row.erased_at for row in rows}

    async def save_members(self, views: Iterable[MemberView]) -> None:
        values = [_member_values(view) for view in sorted(views, key=lambda v: v.member_id)]
        if not values:
            return
        statement = pg_insert(_members)
        columns = {name: statement.excluded[name] for name in values[0] if name != "member_id"}
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=["member_id"], set_=columns), values
        )

    async def save_projects(self, views: Iterable[ProjectView]) -> None:
        ordered = sorted(views, key=lambda v: v.project_id)
        if not ordered:
            return
        statement = pg_insert(_projects)
        values = [_project_values(view) for view in ordered]
        columns = {name: statement.excluded[name] for name in values[0] if name != "project_id"}
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=["project_id"], set_=columns), values
        )
        ids = [view.project_id for view in ordered]
        await self.session.execute(delete(_team).where(among(_team.c.project_id, ids)))
        team = [
            {"project_id": view.project_id, "member_id": member_id, "roles": sorted(roles)}
            for view in ordered
            for member_id, roles in sorted(view.team.items())
        ]
        if team:
            await self.session.execute(_team.insert(), team)


def _member(row: Row[Any]) -> MemberView:
    return MemberView(
        member_id=row.member_id,
        organisation_id=row.organisation_id,
        member_type=row.member_type,
        visibility=MemberVisibility(row.visibility),
        visibility_at=row.visibility_at,
        status=row.status,
        status_at=row.status_at,
        erased_at=row.erased_at,
    )


def _project(row: Row[Any]) -> ProjectView:
    return ProjectView(
        project_id=row.project_id,
        organisation_id=row.organisation_id,
        visibility=ProjectVisibility(row.visibility),
        visibility_at=row.visibility_at,
        stage=row.stage,
    )


def _member_values(view: MemberView) -> dict[str, object]:
    return {
        "member_id": view.member_id,
        "organisation_id": view.organisation_id,
        "member_type": view.member_type,
        "visibility": view.visibility.value,
        "visibility_at": view.visibility_at,
        "status": view.status,
        "status_at": view.status_at,
        "erased_at": view.erased_at,
    }


def _project_values(view: ProjectView) -> dict[str, object]:
    return {
        "project_id": view.project_id,
        "organisation_id": view.organisation_id,
        "visibility": view.visibility.value,
        "visibility_at": view.visibility_at,
        "stage": view.stage,
    }

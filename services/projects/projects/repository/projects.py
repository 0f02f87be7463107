"""Projects and their teams: saving, loading by id, listing pages and similar-work search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from servicekit.identity import Principal
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from projects import domain
from projects.models import ProjectRow, TeamSeatRow
from projects.repository.visibility import visible_to


@dataclass(frozen=True, slots=True)
class Page:
    """Where a page starts (after this (proposed_at, id), newest first) and how many to fetch."""

    after: tuple[datetime, UUID] | None
    limit: int


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    organisation_id: UUID | None = None
    stages: tuple[domain.Stage, ...] = ()
    theme: str | None = None
    big_i: bool | None = None


def _aim(row: ProjectRow) -> domain.Aim | None:
    if row.aim_what is None:
        return None
    return domain.Aim(what=row.aim_what, how_much=row.aim_how_much or "", by_when=row.aim_by_when)


def _seat(row: TeamSeatRow) -> domain.TeamSeat:
    return domain.TeamSeat(
        id=row.id,
        member_id=row.member_id,
        role=domain.TeamRole(row.role),
        joined_at=row.joined_at,
        left_at=row.left_at,
        anonymised=row.is_anonymised,
    )


def _project(row: ProjectRow, seats: Iterable[domain.TeamSeat]) -> domain.Project:
    return domain.Project(
        id=row.id,
        organisation_id=row.organisation_id,
        title=row.title,
        summary=row.summary,
        aim=_aim(row),
        themes=tuple(row.themes),
        partner_organisation_ids=tuple(row.partner_organisation_ids),
        visibility=domain.Visibility(row.visibility),
        stage=domain.Stage(row.stage),
        co_production_level=domain.CoProductionLevel(row.co_production_level)
        if row.co_production_level
        else None,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        updated_at=row.updated_at,
        team=tuple(sorted(seats, key=lambda seat: (seat.joined_at, str(seat.id)))),
    )


def _values(project: domain.Project) -> dict[str, object]:
    aim = project.aim
    return {
        "organisation_id": project.organisation_id,
        "title": project.title,
        "summary": project.summary,
        "aim_what": aim.what if aim else None,
        "aim_how_much": aim.how_much if aim else None,
        "aim_by_when": aim.by_when if aim else None,
        "themes": list(project.themes),
        "themes_text": " ".join(project.themes),
        "partner_organisation_ids": list(project.partner_organisation_ids),
        "visibility": project.visibility.value,
        "stage": project.stage.value,
        "co_production_level": project.co_production_level.value
        if project.co_production_level
        else None,
        "proposed_by": project.proposed_by,
        "proposed_at": project.proposed_at,
        "updated_at": project.updated_at,
    }


def _newest_first(stmt: Select[Any], page: Page) -> Select[Any]:
    if page.after is not None:
        stmt = stmt.where(tuple_(ProjectRow.proposed_at, ProjectRow.id) < tuple_(*page.after))
    return stmt.order_by(ProjectRow.proposed_at.desc(), ProjectRow.id.desc()).limit(page.limit)


class ProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, project: domain.Project) -> None:
        self.session.add(ProjectRow(id=project.id, **_values(project)))
        await self.session.flush()
        await self._save_team(project)

    async def save(self, project: domain.Project) -> None:
        row = await self.session.get(ProjectRow, project.id)
        if row is None:
            raise domain.ProjectNotFound("We could not find that project.", field="projectId")
        for name, value in _values(project).items():
            setattr(row, name, value)
        await self.session.flush()
        await self._save_team(project)

    async def _save_team(self, project: domain.Project) -> None:
        if not project.team:
            return
        rows = [
            {
                "id": s.id,
                "project_id": project.id,
                "member_id": s.member_id,
                "role": s.role.value,
                "joined_at": s.joined_at,
                "left_at": s.left_at,
                "is_anonymised": s.anonymised,
            }
            for s in project.team
        ]
        stmt = pg_insert(TeamSeatRow).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TeamSeatRow.id],
            set_={
                "role": stmt.excluded.role,
                "left_at": stmt.excluded.left_at,
                "member_id": stmt.excluded.member_id,
                "is_anonymised": stmt.excluded.is_anonymised,
            },
        )
        await self.session.execute(stmt)

    async def find(self, project_id: UUID, *, for_update: bool = False) -> domain.Project | None:
        """A project by id, whoever may see it (callers check access); locked when `for_update`."""
        stmt = select(ProjectRow).where(ProjectRow.id == project_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        if row is None:
            return None
        return (await self._with_teams([row]))[0]

    async def get(self, project_id: UUID, *, for_update: bool = False) -> domain.Project:
        project = await self.find(project_id, for_update=for_update)
        if project is None:
            raise domain.ProjectNotFound("We could not find that project.", field="projectId")
        return project

    async def visible_many(
        self, ids: Sequence[UUID], principal: Principal
    ) -> dict[UUID, domain.Project]:
        stmt = select(ProjectRow).where(ProjectRow.id.in_(ids), visible_to(principal))
        rows = list((await self.session.execute(stmt)).scalars())
        return {project.id: project for project in await self._with_teams(rows)}

    async def page(
        self, principal: Principal, filters: ProjectFilter, page: Page
    ) -> list[domain.Project]:
        stmt = select(ProjectRow).where(visible_to(principal))
        if filters.organisation_id is not None:
            stmt = stmt.where(ProjectRow.organisation_id == filters.organisation_id)
        if filters.stages:
            stmt = stmt.where(ProjectRow.stage.in_([s.value for s in filters.stages]))
        if filters.theme:
            stmt = stmt.where(ProjectRow.themes.any_() == filters.theme.strip().lower())
        if filters.big_i is not None:
            partners = select(TeamSeatRow.id).where(
                TeamSeatRow.project_id == ProjectRow.id,
                TeamSeatRow.left_at.is_(None),
                TeamSeatRow.role == domain.TeamRole.SERVICE_USER_PARTNER.value,
            )
            stmt = stmt.where(partners.exists() if filters.big_i else ~partners.exists())
        rows = list((await self.session.execute(_newest_first(stmt, page))).scalars())
        return await self._with_teams(rows)

    async def pages_by_member(
        self, principal: Principal, member_ids: Sequence[UUID], page: Page
    ) -> dict[UUID, list[domain.Project]]:
        """Each member's current projects that `principal` may see, one page each, in one query."""
        owner = TeamSeatRow.member_id
        ranked = (
            select(
                ProjectRow,
                owner.label("owner"),
                func.row_number()
                .over(
                    partition_by=owner,
                    order_by=(ProjectRow.proposed_at.desc(), ProjectRow.id.desc()),
                )
                .label("rn"),
            )
            .join(
                TeamSeatRow,
                and_(TeamSeatRow.project_id == ProjectRow.id, TeamSeatRow.left_at.is_(None)),
            )
            .where(owner.in_(member_ids), visible_to(principal), self._after(page))
        )
        return await self._ranked(ranked, page)

    async def pages_by_organisation(
        self, principal: Principal, organisation_ids: Sequence[UUID], page: Page
    ) -> dict[UUID, list[domain.Project]]:
        owner = ProjectRow.organisation_id
        ranked = select(
            ProjectRow,
            owner.label("owner"),
            func.row_number()
            .over(
                partition_by=owner, order_by=(ProjectRow.proposed_at.desc(), ProjectRow.id.desc())
            )
            .label("rn"),
        ).where(owner.in_(organisation_ids), visible_to(principal), self._after(page))
        return await self._ranked(ranked, page)

    @staticmethod
    def _after(page: Page) -> ColumnElement[bool]:
        if page.after is None:
            return true()
        return tuple_(ProjectRow.proposed_at, ProjectRow.id) < tuple_(*page.after)

    async def _ranked(self, ranked: Select[Any], page: Page) -> dict[UUID, list[domain.Project]]:
        sub = ranked.subquery()
        row_alias = aliased(ProjectRow, sub)
        stmt = (
            select(row_alias, sub.c.owner)
            .where(sub.c.rn <= page.limit)
            .order_by(sub.c.owner, sub.c.rn)
        )
        found = (await self.session.execute(stmt)).all()
        projects = {p.id: p for p in await self._with_teams([row for row, _ in found])}
        pages: dict[UUID, list[domain.Project]] = {}
        for row, owner in found:
            pages.setdefault(owner, []).append(projects[row.id])
        return pages

    async def similar(
        self, principal: Principal, query: str, words: str, limit: int, *, offset: int = 0
    ) -> list[tuple[domain.Project, float]]:
        """Visible projects ranked by full-text match of `words` (a tsquery) plus trigram likeness to `query`."""
        tsquery = func.to_tsquery("english", words)
        likeness = func.word_similarity(query, ProjectRow.search_text)
        score = (func.ts_rank_cd(ProjectRow.search_vector, tsquery, 32) + 0.5 * likeness).label(
            "score"
        )
        stmt = (
            select(ProjectRow, score)
            .where(
                visible_to(principal),
                or_(ProjectRow.search_vector.op("@@")(tsquery), likeness >= 0.3),
            )
            .order_by(score.desc(), ProjectRow.id)
            .offset(offset)
            .limit(limit)
        )
        found = (await self.session.execute(stmt)).all()
        projects = {p.id: p for p in await self._with_teams([row for row, _ in found])}
        return [(projects[row.id], float(value)) for row, value in found]

    async def _with_teams(self, rows: Sequence[ProjectRow]) -> list[domain.Project]:
        if not rows:
            return []
        seats: dict[UUID, list[domain.TeamSeat]] = {row.id: [] for row in rows}
        found = await self.session.execute(
            select(TeamSeatRow).where(TeamSeatRow.project_id.in_(list(seats)))
        )
        for seat in found.scalars():
            seats[seat.project_id].append(_seat(seat))
        return [_project(row, seats[row.id]) for row in rows]

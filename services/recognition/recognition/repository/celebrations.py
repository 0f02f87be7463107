"""Celebrations: writing them, and reading feeds filtered by who may see what.

The feed's SQL filter mirrors `domain.visibility.celebration_visible`; the
integration tests hold the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from servicekit.identity import COORDINATOR, Principal
from sqlalchemy import Row, Table, delete, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.projections import (
    MemberView,
    MemberVisibility,
    ProjectView,
    ProjectVisibility,
)
from recognition.domain.visibility import CelebrationKind, CelebrationView, FeedScope
from recognition.models import CelebrationRow
from recognition.repository.people import Position

_celebrations = cast(Table, CelebrationRow.__table__)

_VIEW = """
SELECT c.id, c.kind, c.title, c.description, c.posted_at, c.member_id, c.project_id,
       c.from_member_id, c.context_project_id, k.message,
       m.member_id AS m_id, m.organisation_id AS m_org, m.visibility AS m_vis, m.status AS m_status,
       m.erased_at AS m_erased,
       p.project_id AS p_id, p.organisation_id AS p_org, p.visibility AS p_vis,
       (SELECT array_agg(t.member_id) FROM project_team t
        WHERE t.project_id = p.project_id) AS p_team,
       fm.member_id AS fm_id, fm.organisation_id AS fm_org, fm.visibility AS fm_vis,
       fm.status AS fm_status,
       fm.erased_at AS fm_erased,
       cp.project_id AS cp_id, cp.organisation_id AS cp_org, cp.visibility AS cp_vis,
       (SELECT array_agg(t.member_id) FROM project_team t
        WHERE t.project_id = cp.project_id) AS cp_team
FROM celebrations c
LEFT JOIN kudos k ON k.id = c.kudos_id
LEFT JOIN projected_members m ON m.member_id = c.member_id
LEFT JOIN projected_projects p ON p.project_id = c.project_id
LEFT JOIN projected_members fm ON fm.member_id = c.from_member_id
LEFT JOIN projected_projects cp ON cp.project_id = c.context_project_id
"""

_MEMBER_SHOWN = "m.erased_at IS NULL AND m.status NOT IN ('left', 'erased')"
_NETWORK_FEED = f"""(
  (c.member_id IS NOT NULL AND {_MEMBER_SHOWN} AND m.visibility = 'network')
  OR (c.member_id IS NULL AND p.organisation_id IS NOT NULL AND p.visibility = 'network')
)"""
# Constant SQL fragments only; every value is a bound parameter.
_ORGANISATION_FEED = f"""(
  (c.member_id IS NOT NULL AND m.organisation_id = CAST(:org AS uuid) AND {_MEMBER_SHOWN}
   AND m.visibility IN ('organisation', 'network'))
  OR (c.member_id IS NULL AND p.organisation_id = CAST(:org AS uuid)
      AND (p.visibility IN ('organisation', 'network') OR CAST(:is_coordinator AS boolean)
           OR EXISTS (SELECT 1 FROM project_team t
                      WHERE t.project_id = p.project_id AND t.member_id = CAST(:viewer AS uuid))))
)"""  # noqa: S608 - constant fragments; values are bound
_BEFORE = "(c.posted_at, c.id) < (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))"
_NEWEST_FIRST = " ORDER BY c.posted_at DESC, c.id DESC"


class CelebrationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Insert celebrations (dicts of CelebrationRow columns); any already there is kept."""
        values = sorted(rows, key=lambda row: row["id"])
        if values:
            await self.session.execute(
                pg_insert(_celebrations).on_conflict_do_nothing(index_elements=["id"]), values
            )

    async def correct_award_celebrations(
        self, awards: Iterable[tuple[UUID, UUID, datetime, UUID | None]]
    ) -> None:
        """An award was corrected (an earlier qualifying event arrived): its celebration follows.

        Each item is (award id, the award's own celebration id, new date, the project it was now
        earned with, or None); celebrations of the same badge earned again on other projects stay.
        """
        values = [
            {"award": award_id, "celebration": celebration, "at": at, "project": project}
            for award_id, celebration, at, project in awards
        ]
        if values:
            await self.session.execute(
                text(
                    "UPDATE celebrations SET posted_at = :at, "
                    "context_project_id = CAST(:project AS uuid) "
                    "WHERE award_id = :award AND id = :celebration"
                ),
                values,
            )

    async def remove_member(self, member_id: UUID) -> None:
        """Erasure: the member's celebrations go; where they thanked someone, they are unnamed."""
        await self.session.execute(
            delete(_celebrations).where(_celebrations.c.member_id == member_id)
        )
        await self.session.execute(
            update(_celebrations)
            .where(_celebrations.c.from_member_id == member_id)
            .values(from_member_id=None)
        )

    async def views(self, celebration_ids: set[UUID]) -> dict[UUID, CelebrationView]:
        rows = await self.session.execute(
            text(_VIEW + "WHERE c.id = ANY(:ids)"), {"ids": list(celebration_ids)}
        )
        return {view.id: view for view in (_view(row) for row in rows)}

    async def view(self, celebration_id: UUID) -> CelebrationView | None:
        row = (
            await self.session.execute(text(_VIEW + "WHERE c.id = :id"), {"id": celebration_id})
        ).first()
        return _view(row) if row is not None else None

    async def feed(
        self, viewer: Principal, scope: FeedScope, *, limit: int, after: Position | None
    ) -> list[CelebrationView]:
        """A page of the feed, newest first, holding only what `viewer` may see."""
        if viewer.is_anonymous:
            return []
        conditions = [_NETWORK_FEED if scope is FeedScope.NETWORK else _ORGANISATION_FEED]
        params: dict[str, Any] = {"limit": limit}
        if scope is FeedScope.ORGANISATION:
            params.update(
                org=viewer.organisation_id,
                viewer=viewer.member_id,
                is_coordinator=COORDINATOR in viewer.roles,
            )
        if after is not None:
            conditions.append(_BEFORE)
            params.update(after_at=after[0], after_id=after[1])
        sql = _VIEW + "WHERE " + " AND ".join(conditions) + _NEWEST_FIRST + " LIMIT :limit"
        rows = await self.session.execute(text(sql), params)
        return [_view(row) for row in rows]

    async def for_projects(
        self, project_ids: Collection[UUID], *, limit: int, after: Position | None
    ) -> dict[UUID, list[CelebrationView]]:
        """Up to `limit` celebrations of each project, newest first (callers check visibility)."""
        params: dict[str, Any] = {"ids": list(project_ids), "limit": limit}
        cursor = ""
        if after is not None:
            cursor = " AND " + _BEFORE
            params.update(after_at=after[0], after_id=after[1])
        sql = (
            "SELECT v.* FROM (SELECT c.id AS ranked_id, "  # noqa: S608 - constant fragments
            "row_number() OVER (PARTITION BY c.project_id "
            "ORDER BY c.posted_at DESC, c.id DESC) AS rank FROM celebrations c "
            f"WHERE c.project_id = ANY(CAST(:ids AS uuid[])){cursor}) r "
            f"JOIN ({_VIEW}) v ON v.id = r.ranked_id WHERE r.rank <= :limit "
            "ORDER BY v.posted_at DESC, v.id DESC"
        )
        found: dict[UUID, list[CelebrationView]] = {project_id: [] for project_id in project_ids}
        for row in await self.session.execute(text(sql), params):
            found[row.project_id].append(_view(row))
        return found


def _member(
    member_id: UUID | None,
    org: UUID | None,
    visibility: str | None,
    status: str | None,
    erased_at: datetime | None,
) -> MemberView | None:
    if member_id is None or visibility is None or status is None:
        return None
    return MemberView(
        member_id, org, visibility=MemberVisibility(visibility), status=status, erased_at=erased_at
    )


def _project(
    project_id: UUID | None, org: UUID | None, visibility: str | None, team: list[UUID] | None
) -> ProjectView | None:
    if project_id is None or visibility is None:
        return None
    return ProjectView(
        project_id,
        org,
        visibility=ProjectVisibility(visibility),
        team={member_id: set() for member_id in team or ()},
    )


def _view(row: Row[Any]) -> CelebrationView:
    return CelebrationView(
        id=row.id,
        kind=CelebrationKind(row.kind),
        title=row.title,
        description=row.description,
        message=row.message,
        posted_at=row.posted_at,
        member_id=row.member_id,
        project_id=row.project_id,
        member=_member(row.m_id, row.m_org, row.m_vis, row.m_status, row.m_erased),
        project=_project(row.p_id, row.p_org, row.p_vis, row.p_team),
        from_member_id=row.from_member_id,
        from_member=_member(row.fm_id, row.fm_org, row.fm_vis, row.fm_status, row.fm_erased),
        context_project_id=row.context_project_id,
        context_project=_project(row.cp_id, row.cp_org, row.cp_vis, row.cp_team),
    )

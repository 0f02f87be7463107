"""What every use case needs: the clock, today's date where the network is, and a project it may change."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from servicekit import clock
from servicekit.errors import NotFound
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from projects import domain
from projects.repository import ProjectRepository

NETWORK_TIME_ZONE = ZoneInfo("Europe/London")  # "today" for data points is today in the UK


def utcnow() -> datetime:
    return clock.utcnow()


def today() -> date:
    return clock.utcnow().astimezone(NETWORK_TIME_ZONE).date()


async def changeable_project(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    open_only: bool = True,
    hidden_as: NotFound | None = None,
) -> domain.Project:
    """The project, locked for this transaction, if `principal` may change it (and it is still open).

    Reached through one of its items, give `hidden_as` (that item's not-found error): a project
    the caller may not see then answers exactly as a missing item would, so ids of items in
    hidden projects reveal nothing.
    """
    project = await ProjectRepository(session).get(project_id, for_update=True)
    if hidden_as is not None and not principal.is_anonymous and not project.visible_to(principal):
        raise hidden_as
    project.require_change_by(principal)
    if open_only:
        project.require_open()
    return project

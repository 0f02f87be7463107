"""Use cases for the driver diagram: add, rename and remove drivers and change ideas."""

from __future__ import annotations

from uuid import UUID

from servicekit import outbox
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from projects import domain
from projects.events import ChangeIdeaAdded, DiagramItemRemoved, DriverAdded
from projects.repository import CycleRepository, DiagramRepository
from projects.service.common import changeable_project, utcnow


async def _item_of(
    session: AsyncSession, project: domain.Project, item_id: UUID, field: str
) -> domain.DiagramItem:
    item = await DiagramRepository(session).get(item_id)
    if item.project_id != project.id:
        raise domain.DiagramItemNotFound(
            "That part of the driver diagram is not in this project.", field=field
        )
    return item


async def add_driver(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    text: str,
    parent_driver_id: UUID | None,
) -> tuple[domain.Project, domain.DiagramItem]:
    """A primary driver, or a secondary one under `parent_driver_id`; queues DriverAdded."""
    project = await changeable_project(session, principal, project_id)
    parent = (
        await _item_of(session, project, parent_driver_id, "parentDriverId")
        if parent_driver_id
        else None
    )
    diagram = DiagramRepository(session)
    now = utcnow()
    driver = domain.new_driver(
        project_id=project.id,
        parent=parent,
        text=text,
        created_by=principal.require_member(),
        position=await diagram.next_position(project.id, parent_driver_id),
        now=now,
    )
    await diagram.add(driver)
    await outbox.add(
        session,
        DriverAdded(
            project_id=project.id,
            organisation_id=project.organisation_id,
            driver_id=driver.id,
            level="primary" if parent is None else "secondary",
            parent_driver_id=parent_driver_id,
            added_at=now,
        ),
        key=project.id,
    )
    return project, driver


async def add_change_idea(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    driver_id: UUID,
    title: str,
    description: str,
) -> tuple[domain.Project, domain.DiagramItem]:
    project = await changeable_project(session, principal, project_id)
    driver = await _item_of(session, project, driver_id, "driverId")
    diagram = DiagramRepository(session)
    now = utcnow()
    idea = domain.new_change_idea(
        project_id=project.id,
        driver=driver,
        title=title,
        description=description,
        created_by=principal.require_member(),
        position=await diagram.next_position(project.id, driver.id),
        now=now,
    )
    await diagram.add(idea)
    await outbox.add(
        session,
        ChangeIdeaAdded(
            project_id=project.id,
            organisation_id=project.organisation_id,
            change_idea_id=idea.id,
            driver_id=driver.id,
            added_at=now,
        ),
        key=project.id,
    )
    return project, idea


async def update_diagram_item(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    item_id: UUID,
    text: str | None,
    description: str | None,
) -> tuple[domain.Project, domain.DiagramItem]:
    project = await changeable_project(session, principal, project_id)
    item = (await _item_of(session, project, item_id, "itemId")).renamed(
        text=text, description=description
    )
    await DiagramRepository(session).save(item)
    return project, item


async def remove_diagram_item(
    session: AsyncSession, principal: Principal, project_id: UUID, *, item_id: UUID
) -> domain.Project:
    """Remove an item and everything under it, unless a change idea there has PDSA cycles."""
    project = await changeable_project(session, principal, project_id)
    item = await _item_of(session, project, item_id, "itemId")
    diagram = DiagramRepository(session)
    removing = domain.subtree((await diagram.of_projects([project.id]))[project.id], item.id)
    ideas = [i.id for i in removing if i.kind is domain.DiagramItemKind.CHANGE_IDEA]
    domain.check_removable(removing, await CycleRepository(session).change_ideas_with_cycles(ideas))
    await diagram.remove(removing)
    await outbox.add(
        session,
        DiagramItemRemoved(
            project_id=project.id,
            organisation_id=project.organisation_id,
            item_id=item.id,
            kind=item.kind,
            items_removed=len(removing),
            removed_at=utcnow(),
        ),
        key=project.id,
    )
    return project

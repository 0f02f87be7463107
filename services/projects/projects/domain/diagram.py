"""Driver diagrams: the aim, primary drivers, secondary drivers and change ideas, as a tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID, uuid4

from servicekit.errors import InvalidInput

from projects.domain import common as c
from projects.domain.common import DiagramItemKind as Kind


@dataclass(frozen=True, slots=True)
class DiagramItem:
    """A driver (primary or secondary) or a change idea; `parent_id` is None for primary drivers."""

    id: UUID
    project_id: UUID
    kind: Kind
    parent_id: UUID | None
    text: str
    description: str
    position: int
    created_by: UUID | None
    created_at: datetime

    @property
    def is_driver(self) -> bool:
        return self.kind is not Kind.CHANGE_IDEA

    def renamed(self, *, text: str | None, description: str | None) -> DiagramItem:
        return replace(
            self,
            text=self.text if text is None else _text_for(self.kind, text),
            description=self.description if description is None else _description(description),
        )


def _text_for(kind: Kind, text: str) -> str:
    if kind is Kind.CHANGE_IDEA:
        return c.clean_text(
            text, field="title", label="change idea", max_length=c.CHANGE_IDEA_TITLE_MAX
        )
    return c.clean_text(text, field="text", label="driver", max_length=c.DRIVER_TEXT_MAX)


def _description(text: str) -> str:
    return c.clean_text(
        text,
        field="description",
        label="description",
        max_length=c.DESCRIPTION_MAX,
        required=False,
        multiline=True,
    )


def new_driver(
    *,
    project_id: UUID,
    parent: DiagramItem | None,
    text: str,
    created_by: UUID,
    position: int,
    now: datetime,
) -> DiagramItem:
    """A primary driver (no parent) or a secondary driver under a primary driver."""
    if parent is not None and parent.kind is not Kind.PRIMARY_DRIVER:
        raise InvalidInput(
            "A secondary driver goes under a primary driver.", field="parentDriverId"
        )
    kind = Kind.PRIMARY_DRIVER if parent is None else Kind.SECONDARY_DRIVER
    return DiagramItem(
        uuid4(),
        project_id,
        kind,
        parent.id if parent else None,
        _text_for(kind, text),
        "",
        position,
        created_by,
        now,
    )


def new_change_idea(
    *,
    project_id: UUID,
    driver: DiagramItem,
    title: str,
    description: str,
    created_by: UUID,
    position: int,
    now: datetime,
) -> DiagramItem:
    """A change idea hangs under a driver (usually a secondary one)."""
    if not driver.is_driver:
        raise InvalidInput("A change idea goes under a driver.", field="driverId")
    return DiagramItem(
        uuid4(),
        project_id,
        Kind.CHANGE_IDEA,
        driver.id,
        _text_for(Kind.CHANGE_IDEA, title),
        _description(description),
        position,
        created_by,
        now,
    )


def subtree(items: Iterable[DiagramItem], root: UUID) -> list[DiagramItem]:
    """`root` and everything beneath it."""
    children: dict[UUID | None, list[DiagramItem]] = {}
    by_id = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
        by_id[item.id] = item
    found, queue = [], [by_id[root]] if root in by_id else []
    while queue:
        item = queue.pop()
        found.append(item)
        queue.extend(children.get(item.id, []))
    return found


def check_removable(removing: list[DiagramItem], ideas_with_cycles: set[UUID]) -> None:
    """A part of the diagram can go unless a change idea in it has PDSA cycles (their learning stays)."""
    if any(item.id in ideas_with_cycles for item in removing):
        raise c.DiagramItemInUse(
            "This part of the driver diagram has change ideas with PDSA cycles, so it cannot be removed."
        )

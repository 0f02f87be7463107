"""Small helpers shared by the schema modules: ids, cursors and entity stubs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry
from servicekit.errors import InvalidInput
from servicekit.pagination import MAX_PAGE, decode_cursor, page_size
from strawberry.federation.schema_directives import ListSize
from strawberry.types import Info

from projects import domain
from projects.repository import Page
from projects.schema.context import Context

ProjectsInfo = Info[Context, None]


def parse_id(value: strawberry.ID | str, *, field: str = "id") -> UUID:
    try:
        return UUID(str(value))
    except ValueError as error:
        raise InvalidInput("That id is not in the right format.", field=field) from error


def parse_page(first: int | None, after: str | None) -> Page:
    limit = page_size(first)
    values = decode_cursor(after)
    if values is None:
        return Page(after=None, limit=limit + 1)
    try:
        return Page(
            after=(datetime.fromisoformat(str(values[0])), UUID(str(values[1]))), limit=limit + 1
        )
    except (IndexError, ValueError) as error:
        raise InvalidInput(
            "That page cursor is not valid. Start again from the first page.", field="after"
        ) from error


def project_cursor(project: domain.Project) -> tuple[str, str]:
    return (project.proposed_at.isoformat(), str(project.id))


First = Annotated[
    int | None, strawberry.argument(description="How many to return: 1 to 100 (20 if left out).")
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="To get the next page, pass the endCursor of the page before; leave out for the first page."
    ),
]
# A page of a connection: `first` items (at most MAX_PAGE) in `edges`. The gateway's cost limit
# reads this (@listSize) and refuses larger pages before asking this service.
PAGE = ListSize(assumed_size=MAX_PAGE, slicing_arguments=["first"], sized_fields=["edges"],
                require_one_slicing_argument=False)
INPUT = strawberry.argument(description="What to do; see the input type for each part.")

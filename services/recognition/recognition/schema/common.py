"""Small pieces every part of the subgraph uses: ids, cursors, enums, and the Info type."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated
from uuid import UUID

import strawberry
from servicekit.errors import InvalidInput
from servicekit.pagination import MAX_PAGE, decode_cursor
from strawberry.federation.schema_directives import ListSize
from strawberry.types import Info

from recognition.domain.nominations import Decision
from recognition.domain.nominations import NominationStatus as Status
from recognition.domain.rules import Recipient
from recognition.domain.visibility import CelebrationKind as Kind
from recognition.domain.visibility import FeedScope
from recognition.repository.people import Position
from recognition.schema.context import Context

RecognitionInfo = Info[Context, None]


@strawberry.enum(description="Which celebrations to show.")
class CelebrationScope(Enum):
    ORGANISATION = strawberry.enum_value(
        FeedScope.ORGANISATION.value,
        description="Your own organisation's celebrations that you may see.",
    )
    NETWORK = strawberry.enum_value(
        FeedScope.NETWORK.value, description="Celebrations shared with the whole network."
    )


@strawberry.enum(description="What is being celebrated.")
class CelebrationKind(Enum):
    BADGE = strawberry.enum_value(Kind.BADGE.value, description="A badge was earned.")
    KUDOS = strawberry.enum_value(
        Kind.KUDOS.value, description="Someone said thank you, in public."
    )
    NOMINATION = strawberry.enum_value(
        Kind.NOMINATION.value, description="A nomination for an award was granted."
    )


@strawberry.enum(description="Who receives a rule's badge.")
class RuleRecipient(Enum):
    MEMBER = strawberry.enum_value(
        Recipient.MEMBER.value,
        description="The member the event names (for example who finished the test).",
    )
    TEAM = strawberry.enum_value(
        Recipient.TEAM.value,
        description="Each member of the project's team when the event happened.",
    )
    PROJECT = strawberry.enum_value(Recipient.PROJECT.value, description="The project itself.")


@strawberry.enum(description="Where a nomination is.")
class NominationStatus(Enum):
    PENDING = strawberry.enum_value(
        Status.PENDING.value, description="Waiting for a coordinator to decide."
    )
    GRANTED = strawberry.enum_value(
        Status.GRANTED.value, description="Granted: the award is celebrated."
    )
    DECLINED = strawberry.enum_value(
        Status.DECLINED.value, description="Declined by a coordinator."
    )


@strawberry.enum(description="A coordinator's decision on a nomination.")
class NominationDecision(Enum):
    GRANT = strawberry.enum_value(
        Decision.GRANT.value, description="Give the award (posts a celebration)."
    )
    DECLINE = strawberry.enum_value(Decision.DECLINE.value, description="Do not give the award.")


# A page of a connection: `first` items (at most MAX_PAGE) in `edges`. The gateway's cost limit
# reads this (@listSize) and refuses larger pages before asking this service.
PAGE = ListSize(assumed_size=MAX_PAGE, slicing_arguments=["first"], sized_fields=["edges"],
                require_one_slicing_argument=False)
First = Annotated[
    int | None,
    strawberry.argument(description="How many items to return: 1 to 100 (20 when not given)."),
]
After = Annotated[
    str | None,
    strawberry.argument(description="Return the items after this cursor (a page's endCursor)."),
]


def domain_value(member: Enum) -> str:
    """The domain value a GraphQL enum member stands for (they share their values)."""
    return str(member.value)


def parse_id(value: strawberry.ID | str, *, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError as error:
        raise InvalidInput("That id is not in the right format.", field=field) from error


def optional_id(value: strawberry.ID | None, *, field: str) -> UUID | None:
    return parse_id(value, field=field) if value else None


def to_id(value: UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


def position_cursor(at: datetime, item_id: UUID) -> tuple[str, str]:
    return (at.isoformat(), str(item_id))


def decode_position(after: str | None) -> Position | None:
    """The (time, id) a cursor points at; a malformed cursor is invalid input."""
    values = decode_cursor(after or None)
    if values is None:
        return None
    try:
        at, item_id = values
        return datetime.fromisoformat(str(at)), UUID(str(item_id))
    except ValueError as error:
        raise InvalidInput(
            "That page cursor is not valid. Start again from the first page.", field="after"
        ) from error

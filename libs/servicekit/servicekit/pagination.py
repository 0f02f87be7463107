"""Cursor pagination for GraphQL lists: opaque cursors and the shared connection types."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from servicekit.errors import InvalidInput

T = TypeVar("T")
N = TypeVar("N")

DEFAULT_PAGE = 20
MAX_PAGE = 100


@strawberry.federation.type(shareable=True, description="Where a page of a list sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass this as `after` to get the next page; null on an empty page."
    )


@strawberry.type(description="One item of a list, with the cursor that points at it.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Opaque position of this item in the list.")


@strawberry.type(description="A page of a list.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Whether more items follow, and how to get them.")


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([str(v) if not isinstance(v, int | float | bool) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    """The values a cursor holds, or None for "from the start"; bad cursors are invalid input."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput("That page cursor is not valid. Start again from the first page.", field="after") from error
    if not isinstance(values, list):
        raise InvalidInput("That page cursor is not valid. Start again from the first page.", field="after")
    return values


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 1 or first > MAX_PAGE:
        raise InvalidInput(f"Ask for between 1 and {MAX_PAGE} items at a time.", field="first")
    return first


def build_connection(
    items: Sequence[T],
    *,
    limit: int,
    cursor_of: Callable[[T], Sequence[Any]],
    to_node: Callable[[T], N],
) -> Connection[N]:
    """A connection from `limit + 1` fetched items: the extra one only says a next page exists."""
    page = list(items[:limit])
    edges = [Edge(node=to_node(item), cursor=encode_cursor(cursor_of(item))) for item in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(items) > limit,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )

"""Every query of recognition lives in this package; it maps rows to domain objects and back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Uuid, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute


def among(
    column: ColumnElement[Any] | QueryableAttribute[Any], ids: Iterable[UUID]
) -> ColumnElement[bool]:
    """`column = ANY(:ids)`: one array parameter however many ids (one prepared statement)."""
    return column == any_(literal(list(ids), ARRAY(Uuid())))

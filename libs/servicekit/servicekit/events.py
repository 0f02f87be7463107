"""Event payloads: versioned pydantic models, and the registry consumers decode them with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

TYPE_PREFIX = "network.heroes"

E = TypeVar("E", bound="Event")


class Event(BaseModel):
    """Base of every event payload.

    Subclasses set `topic`, `source`, `name` (`membership.member_joined`) and
    `version`. The payload is thin: ids, enums, counts and times, never names,
    emails or free text about people. Unknown fields are ignored when read, so
    adding an optional field keeps the version; anything else is a new version.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    topic: ClassVar[str]
    source: ClassVar[str]
    name: ClassVar[str]
    version: ClassVar[int] = 1

    @classmethod
    def ce_type(cls) -> str:
        return f"{TYPE_PREFIX}.{cls.name}.v{cls.version}"

    @classmethod
    def family(cls) -> str:
        return f"{TYPE_PREFIX}.{cls.name}"

    def to_payload(self) -> dict[str, Any]:
        """Validate again (publish-side check) and return the JSON-ready payload."""
        return type(self).model_validate(self.model_dump()).model_dump(mode="json")


def split_type(ce_type: str) -> tuple[str, int] | None:
    """`network.heroes.a.b.v2` -> (`network.heroes.a.b`, 2); None when not of that form."""
    family, _, version = ce_type.rpartition(".v")
    if not family or not version.isdigit():
        return None
    return family, int(version)


class UnknownEventVersion(Exception):
    """The event family is known but this schema version is not: cannot be handled safely."""


class InvalidEventPayload(Exception):
    """The payload does not match the schema of its declared type and version."""


class EventRegistry:
    """Maps CloudEvents types to payload models for the events one consumer handles."""

    def __init__(self, events: Iterable[type[Event]] = ()) -> None:
        self._by_type: dict[str, type[Event]] = {}
        self._families: set[str] = set()
        for event in events:
            self.register(event)

    def register(self, event: type[Event]) -> None:
        self._by_type[event.ce_type()] = event
        self._families.add(event.family())

    def knows(self, ce_type: str) -> bool:
        """True when this type, or another version of its family, is registered."""
        if ce_type in self._by_type:
            return True
        parts = split_type(ce_type)
        return parts is not None and parts[0] in self._families

    def decode(self, ce_type: str, data: Any) -> Event:
        """Validate `data` as the payload of `ce_type`.

        Raises UnknownEventVersion for a known family at an unknown version and
        InvalidEventPayload when the data does not fit the schema.
        """
        model = self._by_type.get(ce_type)
        if model is None:
            raise UnknownEventVersion(f"no schema for event type {ce_type}")
        try:
            return model.model_validate(data)
        except ValidationError as error:
            raise InvalidEventPayload(f"{ce_type}: {error.error_count()} invalid field(s): {error}") from error

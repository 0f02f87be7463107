"""Membership rules: organisations of the network. Plain Python, no I/O; time is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from servicekit.errors import Conflict, InvalidInput, NotFound

NAME_MAX = 200
REGION_MAX = 100


class OrganisationKind(StrEnum):
    ACUTE_TRUST = "acute_trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust"
    COMMUNITY_TRUST = "community_trust"
    AMBULANCE_TRUST = "ambulance_trust"
    INTEGRATED_CARE_BOARD = "integrated_care_board"
    COUNCIL = "council"
    PRIMARY_CARE = "primary_care"
    VOLUNTARY_COMMUNITY_GROUP = "voluntary_community_group"


class OrganisationNotFound(NotFound):
    code = "organisation_not_found"


class OrganisationAlreadyExists(Conflict):
    code = "organisation_already_exists"


def clean_text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Trim `value` and enforce a length limit, with a plain-English error naming the field."""
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise InvalidInput(f"Please give a {label}.", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"The {label} is too long: at most {max_length} characters, please.", field=field
        )
    return cleaned


@dataclass(frozen=True, slots=True)
class Organisation:
    id: UUID
    name: str
    kind: OrganisationKind
    region: str
    joined_network_at: datetime

    @classmethod
    def register(
        cls, *, name: str, kind: OrganisationKind, region: str, now: datetime, id: UUID | None = None
    ) -> Organisation:
        return cls(
            id=id or uuid4(),
            name=clean_text(name, field="name", label="organisation name", max_length=NAME_MAX),
            kind=kind,
            region=clean_text(region, field="region", label="region", max_length=REGION_MAX),
            joined_network_at=now,
        )

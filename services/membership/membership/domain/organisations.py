"""Organisations of the network: any kind of health and care organisation can join."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from servicekit.errors import Conflict, NotFound

from membership.domain.common import clean_text

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

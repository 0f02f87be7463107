"""Whether a project may show a member: membership's consent and profile choices, as announced."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from servicekit.identity import Principal


@dataclass(frozen=True, slots=True)
class MemberSeen:
    """Where membership last said a member may be shown: hidden, organisation or network."""

    organisation_id: UUID
    visibility: str


def member_shown(
    viewer: Principal, member_id: UUID, seen: MemberSeen | None, *, team: frozenset[UUID] = frozenset()
) -> bool:
    """A member appears only as far as their visibility reaches.

    Themselves, their own organisation's coordinators, and people on the same project team
    always see them; a member membership has not announced yet is shown to nobody else.
    """
    if viewer.member_id is not None and (viewer.member_id == member_id or viewer.member_id in team):
        return True
    if seen is None:
        return False
    if viewer.is_coordinator_of(seen.organisation_id) or seen.visibility == "network":
        return True
    return seen.visibility == "organisation" and viewer.organisation_id == seen.organisation_id

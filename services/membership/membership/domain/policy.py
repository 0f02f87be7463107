"""Who may see and change what about a member (DESIGN.md section 6). Pure functions of the caller."""

from __future__ import annotations

from servicekit.errors import NotAllowed
from servicekit.identity import Principal

from membership.domain.consent import Visibility
from membership.domain.members import Member


def sees_private(viewer: Principal, member: Member) -> bool:
    """Email, consent, access needs, involvement and rewards: the member and their own coordinators."""
    return viewer.member_id == member.id or viewer.is_coordinator_of(member.organisation_id)


def sees_profile(viewer: Principal, member: Member, visibility: Visibility) -> bool:
    """Name and public profile, as far as the member's visibility reaches: only ever to signed-in
    members of the network (callers without a token see no personal data at all)."""
    if viewer.is_anonymous:
        return False
    if sees_private(viewer, member):
        return True
    if visibility is Visibility.NETWORK:
        return True
    if visibility is Visibility.ORGANISATION:
        return viewer.organisation_id is not None and viewer.organisation_id == member.organisation_id
    return False


def manages(viewer: Principal, member: Member) -> bool:
    """Coordinators of the member's organisation, and network administrators."""
    return viewer.is_coordinator_of(member.organisation_id) or viewer.is_network_admin


def require_self_or_coordinator(viewer: Principal, member: Member, action: str) -> None:
    viewer.require_member()
    if not sees_private(viewer, member):
        raise NotAllowed(f"Only the member or a coordinator of their organisation can {action}.")


def require_manager(viewer: Principal, member: Member, action: str) -> None:
    viewer.require_member()
    if not manages(viewer, member):
        raise NotAllowed(f"Only a coordinator of the member's organisation can {action}.")

"""Consent of service users and carers: a dated log where the latest word wins, withdrawal first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from servicekit.errors import Conflict

from membership.domain.members import Member, MemberStatus, ProfileVisibility


class ConsentPurpose(StrEnum):
    CONTACT = "contact"
    NAME_IN_ORGANISATION = "name_in_organisation"
    NAME_ACROSS_NETWORK = "name_across_network"
    STORY_PUBLISHED = "story_published"


class ConsentNotApplicable(Conflict):
    code = "consent_not_applicable"


class Visibility(StrEnum):
    """Where a member may be shown; the only thing other services learn about consent."""

    HIDDEN = "hidden"
    ORGANISATION = "organisation"
    NETWORK = "network"


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    purpose: ConsentPurpose
    given: bool
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class ConsentState:
    """The consent in force for each purpose, worked out from the whole log."""

    given: frozenset[ConsentPurpose]

    @classmethod
    def from_records(cls, records: Iterable[ConsentRecord]) -> ConsentState:
        latest: dict[ConsentPurpose, ConsentRecord] = {}
        for record in records:
            current = latest.get(record.purpose)
            if current is None or _newer(record, current):
                latest[record.purpose] = record
        return cls(frozenset(purpose for purpose, record in latest.items() if record.given))

    def allows(self, purpose: ConsentPurpose) -> bool:
        return purpose in self.given


def _newer(candidate: ConsentRecord, current: ConsentRecord) -> bool:
    """Later records win; at the same instant a withdrawal wins over a consent."""
    if candidate.recorded_at != current.recorded_at:
        return candidate.recorded_at > current.recorded_at
    return not candidate.given


def require_consent_applies(member: Member) -> None:
    if not member.member_type.needs_consent:
        raise ConsentNotApplicable(
            "Consent is recorded for service users and carers; staff choose their profile visibility instead."
        )


def visibility_of(member: Member, consent: ConsentState) -> Visibility:
    """Where a member may be shown, combining status, profile choice and (where needed) consent."""
    if member.status in (MemberStatus.ERASED, MemberStatus.INVITED):
        return Visibility.HIDDEN
    wants_network = member.profile_visibility is ProfileVisibility.NETWORK
    if not member.member_type.needs_consent:
        return Visibility.NETWORK if wants_network else Visibility.ORGANISATION
    if wants_network and consent.allows(ConsentPurpose.NAME_ACROSS_NETWORK):
        return Visibility.NETWORK
    if consent.allows(ConsentPurpose.NAME_IN_ORGANISATION) or consent.allows(ConsentPurpose.NAME_ACROSS_NETWORK):
        return Visibility.ORGANISATION
    return Visibility.HIDDEN


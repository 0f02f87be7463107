"""Members ("heroes"): staff, service users, carers and community partners in one model."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from servicekit.errors import Conflict, InvalidInput, NotFound

from membership.domain.common import clean_tags, clean_text

DISPLAY_NAME_MAX = 80
EMAIL_MAX = 254
LANGUAGE_MAX = 40
INVITE_VALID_FOR = timedelta(days=14)
ERASED_NAME = "Former member"


class MemberType(StrEnum):
    STAFF_CLINICAL = "staff_clinical"
    STAFF_NON_CLINICAL = "staff_non_clinical"
    SERVICE_USER = "service_user"
    CARER = "carer"
    COMMUNITY_PARTNER = "community_partner"

    @property
    def needs_consent(self) -> bool:
        """Service users and carers are shown only as far as their recorded consent allows."""
        return self in (MemberType.SERVICE_USER, MemberType.CARER)


class NetworkRole(StrEnum):
    HERO = "hero"
    COORDINATOR = "coordinator"
    SPONSOR = "sponsor"
    NETWORK_ADMIN = "network_admin"


class MemberStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"
    ERASED = "erased"


class ProfileVisibility(StrEnum):
    ORGANISATION = "organisation"
    NETWORK = "network"


# Which status changes make sense. Erasure is allowed from anywhere except itself and
# is final; joining happens only through an invite.
ALLOWED_TRANSITIONS: dict[MemberStatus, frozenset[MemberStatus]] = {
    MemberStatus.INVITED: frozenset({MemberStatus.ACTIVE, MemberStatus.LEFT, MemberStatus.ERASED}),
    MemberStatus.ACTIVE: frozenset({MemberStatus.PAUSED, MemberStatus.LEFT, MemberStatus.ERASED}),
    MemberStatus.PAUSED: frozenset({MemberStatus.ACTIVE, MemberStatus.LEFT, MemberStatus.ERASED}),
    MemberStatus.LEFT: frozenset({MemberStatus.ACTIVE, MemberStatus.ERASED}),
    MemberStatus.ERASED: frozenset(),
}


class MemberNotFound(NotFound):
    code = "member_not_found"


class InvalidStatusChange(Conflict):
    code = "invalid_status_change"


class InviteNotFound(NotFound):
    code = "invite_not_found"


class InviteExpired(Conflict):
    code = "invite_expired"


class AlreadyJoined(Conflict):
    code = "already_joined"


class EmailAlreadyInvited(Conflict):
    code = "email_already_in_use"


@dataclass(frozen=True, slots=True)
class AccessPreferences:
    """How a member prefers to receive information and be contacted."""

    easy_read: bool = False
    large_print: bool = False
    interpreter_language: str | None = None
    phone_contact_preferred: bool = False

    def cleaned(self) -> AccessPreferences:
        language = None
        if self.interpreter_language:
            language = clean_text(
                self.interpreter_language, field="interpreterLanguage",
                label="interpreter language", max_length=LANGUAGE_MAX, required=False,
            ) or None
        return replace(self, interpreter_language=language)


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if not at or not local or "." not in domain or " " in cleaned:
        raise InvalidInput("Please give a valid email address, like name@example.org.", field="email")
    if len(cleaned) > EMAIL_MAX:
        raise InvalidInput(f"The email address is too long: at most {EMAIL_MAX} characters.", field="email")
    return cleaned


def hash_invite_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Member:
    id: UUID
    organisation_id: UUID
    display_name: str
    email: str | None
    member_type: MemberType
    network_role: NetworkRole
    status: MemberStatus
    profile_visibility: ProfileVisibility
    invited_at: datetime
    invite_code_hash: str | None = None
    invite_expires_at: datetime | None = None
    joined_at: datetime | None = None
    interests: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    access: AccessPreferences = field(default_factory=AccessPreferences)
    status_changed_at: datetime | None = None

    @classmethod
    def invite(
        cls,
        *,
        organisation_id: UUID,
        display_name: str,
        email: str,
        member_type: MemberType,
        network_role: NetworkRole,
        now: datetime,
        id: UUID | None = None,
    ) -> tuple[Member, str]:
        """A new invited member and the one-time invite code to give them (only its hash is kept)."""
        code = secrets.token_urlsafe(12)
        member = cls(
            id=id or uuid4(),
            organisation_id=organisation_id,
            display_name=clean_name(display_name),
            email=normalise_email(email),
            member_type=member_type,
            network_role=network_role,
            status=MemberStatus.INVITED,
            profile_visibility=ProfileVisibility.ORGANISATION,
            invited_at=now,
            invite_code_hash=hash_invite_code(code),
            invite_expires_at=now + INVITE_VALID_FOR,
            status_changed_at=now,
        )
        return member, code

    def join(
        self, *, now: datetime, display_name: str | None, profile_visibility: ProfileVisibility
    ) -> Member:
        """Accept the invite: the member becomes active with the visibility they chose."""
        if self.status is not MemberStatus.INVITED:
            raise AlreadyJoined("This invite has already been used.")
        if self.invite_expires_at is not None and now > self.invite_expires_at:
            raise InviteExpired("This invite has expired. Please ask your coordinator for a new one.")
        return replace(
            self,
            status=MemberStatus.ACTIVE,
            display_name=clean_name(display_name) if display_name else self.display_name,
            profile_visibility=profile_visibility,
            joined_at=now,
            invite_code_hash=None,
            invite_expires_at=None,
            status_changed_at=now,
        )

    def change_status(self, status: MemberStatus, *, now: datetime) -> Member:
        if status not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidStatusChange(
                f"A member who is {self.status.value} cannot become {status.value}.",
                field="status",
            )
        if status is MemberStatus.ERASED:
            return self.erased(now=now)
        return replace(self, status=status, status_changed_at=now)

    def with_role(self, network_role: NetworkRole) -> Member:
        if self.status is MemberStatus.ERASED:
            raise InvalidStatusChange("An erased member has no role to change.", field="networkRole")
        return replace(self, network_role=network_role)

    def update_profile(
        self,
        *,
        display_name: str | None = None,
        profile_visibility: ProfileVisibility | None = None,
        interests: list[str] | None = None,
        skills: list[str] | None = None,
        access: AccessPreferences | None = None,
    ) -> Member:
        if self.status is MemberStatus.ERASED:
            raise InvalidStatusChange("An erased member's profile cannot be changed.")
        return replace(
            self,
            display_name=clean_name(display_name) if display_name is not None else self.display_name,
            profile_visibility=profile_visibility or self.profile_visibility,
            interests=clean_tags(interests, field="interests", label="interest")
            if interests is not None else self.interests,
            skills=clean_tags(skills, field="skills", label="skill") if skills is not None else self.skills,
            access=access.cleaned() if access is not None else self.access,
        )

    def erased(self, *, now: datetime) -> Member:
        """What remains after erasure: an anonymous id, the organisation and type (for counts)."""
        if self.status is MemberStatus.ERASED:
            raise InvalidStatusChange("This member has already been erased.")
        return replace(
            self,
            display_name=ERASED_NAME,
            email=None,
            status=MemberStatus.ERASED,
            profile_visibility=ProfileVisibility.ORGANISATION,
            invite_code_hash=None,
            invite_expires_at=None,
            interests=(),
            skills=(),
            access=AccessPreferences(),
            status_changed_at=now,
        )

    @property
    def is_active(self) -> bool:
        return self.status is MemberStatus.ACTIVE


def clean_name(value: str) -> str:
    return clean_text(value, field="displayName", label="name", max_length=DISPLAY_NAME_MAX)

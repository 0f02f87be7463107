"""Membership rules: plain Python, no I/O; time is always passed in."""

from membership.domain.common import clean_tags, clean_text
from membership.domain.consent import ConsentPurpose, ConsentRecord, ConsentState
from membership.domain.involvement import (
    InvolvementEntry,
    InvolvementLevel,
    RewardPreference,
)
from membership.domain.learning import LearningLevel, TrainingModule, levels_newly_achieved
from membership.domain.members import (
    AccessPreferences,
    Member,
    MemberStatus,
    MemberType,
    NetworkRole,
    ProfileVisibility,
)
from membership.domain.organisations import NAME_MAX, REGION_MAX, Organisation, OrganisationKind
from membership.domain.peers import CheckIn, Pairing, PairingKind
from membership.domain.pulse import PULSE_ITEMS, PulseAnswers, month_of

__all__ = [
    "NAME_MAX",
    "PULSE_ITEMS",
    "REGION_MAX",
    "AccessPreferences",
    "CheckIn",
    "ConsentPurpose",
    "ConsentRecord",
    "ConsentState",
    "InvolvementEntry",
    "InvolvementLevel",
    "LearningLevel",
    "Member",
    "MemberStatus",
    "MemberType",
    "NetworkRole",
    "Organisation",
    "OrganisationKind",
    "Pairing",
    "PairingKind",
    "ProfileVisibility",
    "PulseAnswers",
    "RewardPreference",
    "TrainingModule",
    "clean_tags",
    "clean_text",
    "levels_newly_achieved",
    "month_of",
]

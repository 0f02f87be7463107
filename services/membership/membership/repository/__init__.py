"""Every membership query lives here; rows in, domain objects out."""

from membership.repository.learning import LearningRepository
from membership.repository.members import MemberRepository, VisibleTo
from membership.repository.organisations import OrganisationRepository
from membership.repository.peers import PairingRepository
from membership.repository.personal import ConsentRepository, InvolvementRepository, PulseRepository

__all__ = [
    "ConsentRepository",
    "InvolvementRepository",
    "LearningRepository",
    "MemberRepository",
    "OrganisationRepository",
    "PairingRepository",
    "PulseRepository",
    "VisibleTo",
]

"""GraphQL enums, each the domain's own enum with a plain-English description."""

from typing import TypeAlias

import strawberry

from membership import domain

# strawberry.enum describes the domain's enum in place (and returns it); the alias beside each
# names it here in a form mypy accepts as a type.
OrganisationKind: TypeAlias = domain.OrganisationKind
strawberry.enum(
    domain.OrganisationKind, description="What kind of health or care organisation this is."
)
MemberType: TypeAlias = domain.MemberType
strawberry.enum(
    domain.MemberType,
    description="How a member takes part: as clinical or non-clinical staff, a service user (patient), "
    "a carer, or a community partner.",
)
NetworkRole: TypeAlias = domain.NetworkRole
strawberry.enum(
    domain.NetworkRole,
    description="A member's role in the network: hero (change agent), coordinator (runs the network in "
    "their organisation), sponsor (senior supporter) or network administrator.",
)
MemberStatus: TypeAlias = domain.MemberStatus
strawberry.enum(
    domain.MemberStatus,
    description="Where a member is: invited (not joined yet), active, paused, left, or erased (personal "
    "data removed).",
)
ProfileVisibility: TypeAlias = domain.ProfileVisibility
strawberry.enum(
    domain.ProfileVisibility,
    description="Who may see a member's profile: people in their own organisation, or the whole network. "
    "For service users and carers, their consent also has to allow it.",
)
ConsentPurpose: TypeAlias = domain.ConsentPurpose
strawberry.enum(
    domain.ConsentPurpose,
    description="What a service user or carer can agree to: being contacted, their name being shown in "
    "their organisation, their name being shown across the network, and their story or quote being published.",
)
InvolvementLevel: TypeAlias = domain.InvolvementLevel
strawberry.enum(
    domain.InvolvementLevel,
    description="How involved a member chooses to be, from being kept informed, through being asked "
    "for views, to designing and producing improvements together as equal partners.",
)
RewardPreference: TypeAlias = domain.RewardPreference
strawberry.enum(
    domain.RewardPreference,
    description="How a member wants to be thanked for time they give: payment, a voucher, a time credit, "
    "or no reward.",
)
LearningLevel: TypeAlias = domain.LearningLevel
strawberry.enum(
    domain.LearningLevel,
    description="The MAC Heroes learning levels: 1 Explorer (knows what improvement is), 2 Practitioner "
    "(tests changes in small steps and measures them), 3 Leader (leads projects and coaches others).",
)
PairingKind: TypeAlias = domain.PairingKind
strawberry.enum(
    domain.PairingKind,
    description="How two paired members support each other: as buddies, as coach and learner, or as "
    "co-coaches.",
)

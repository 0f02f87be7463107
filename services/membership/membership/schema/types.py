"""Organisation and Member entities and the records hanging off them.

Private fields (email, consent, access needs, involvement, training, pairings)
resolve to null unless the caller is the member or a coordinator of the member's
organisation. A member the caller may not see at all resolves to null, also in
`_entities`.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry
from servicekit.errors import InvalidInput
from servicekit.pagination import MAX_PAGE, Connection, build_connection, decode_cursor, page_size
from strawberry.federation.schema_directives import ListSize

from membership import domain
from membership.domain import policy
from membership.domain.learning import LEVEL_MEANINGS
from membership.repository import (
    ConsentRepository,
    InvolvementRepository,
    LearningRepository,
    MemberRepository,
    PairingRepository,
)
from membership.repository.members import StoredMember
from membership.schema.context import MemberInfo
from membership.schema.enums import (
    InvolvementLevel,
    LearningLevel,
    MemberStatus,
    MemberType,
    NetworkRole,
    OrganisationKind,
    PairingKind,
    ProfileVisibility,
    RewardPreference,
)

# A page of a connection: `first` items (at most MAX_PAGE) in `edges`. The gateway's cost limit
# reads this (@listSize) and refuses larger pages before asking this service.
PAGE = ListSize(assumed_size=MAX_PAGE, slicing_arguments=["first"], sized_fields=["edges"],
                require_one_slicing_argument=False)


def parse_id(value: strawberry.ID | str, *, field: str = "id") -> UUID:
    try:
        return UUID(str(value))
    except ValueError as error:
        raise InvalidInput("That id is not in the right format.", field=field) from error


def after_name_cursor(after: str | None) -> tuple[str, UUID] | None:
    values = decode_cursor(after)
    if values is None:
        return None
    if len(values) != 2:
        raise InvalidInput("That page cursor is not valid. Start again from the first page.", field="after")
    return str(values[0]), parse_id(values[1], field="after")


@strawberry.federation.type(keys=["id"], description="An organisation taking part in the network.")
class Organisation:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the organisation.")
    name: str = strawberry.field(description="The organisation's name.")
    kind: OrganisationKind = strawberry.field(description="The kind of organisation.")
    region: str = strawberry.field(description="The region it serves.")
    joined_network_at: datetime = strawberry.field(description="When it joined the network.")

    @classmethod
    def from_domain(cls, organisation: domain.Organisation) -> Organisation:
        return cls(
            id=strawberry.ID(str(organisation.id)),
            name=organisation.name,
            kind=organisation.kind,
            region=organisation.region,
            joined_network_at=organisation.joined_network_at,
        )

    @classmethod
    async def resolve_reference(cls, info: MemberInfo, id: strawberry.ID) -> Organisation | None:
        organisation = await info.context.organisations.load(parse_id(id))
        return cls.from_domain(organisation) if organisation else None

    @strawberry.field(description="Members of this organisation you may see, by name.", directives=[PAGE])
    async def members(
        self,
        info: MemberInfo,
        first: int | None = None,
        after: str | None = None,
        member_type: MemberType | None = None,
    ) -> Connection[Member]:
        limit = page_size(first)
        async with info.context.reading() as session:
            found = await MemberRepository(session).list_page(
                organisation_id=parse_id(self.id), viewer=info.context.principal,
                after=after_name_cursor(after), limit=limit + 1, member_type=member_type,
            )
        return build_connection(
            found, limit=limit, cursor_of=lambda s: (s.member.display_name, s.member.id), to_node=Member.of
        )


@strawberry.type(description="How a member prefers to receive information and be contacted.")
class AccessPreferences:
    easy_read: bool = strawberry.field(description="Prefers easy read documents.")
    large_print: bool = strawberry.field(description="Prefers large print.")
    interpreter_language: str | None = strawberry.field(description="Language an interpreter is needed for.")
    phone_contact_preferred: bool = strawberry.field(description="Prefers to be phoned rather than emailed.")


@strawberry.type(description="What a service user or carer currently agrees to. Withdrawal always wins.")
class ConsentStatus:
    contact: bool = strawberry.field(description="May be contacted by the network.")
    name_in_organisation: bool = strawberry.field(description="Name may be shown within their organisation.")
    name_across_network: bool = strawberry.field(description="Name may be shown across the whole network.")
    story_published: bool = strawberry.field(description="Their story or quote may be published.")

    @classmethod
    def of(cls, state: domain.ConsentState) -> ConsentStatus:
        return cls(
            contact=state.allows(domain.ConsentPurpose.CONTACT),
            name_in_organisation=state.allows(domain.ConsentPurpose.NAME_IN_ORGANISATION),
            name_across_network=state.allows(domain.ConsentPurpose.NAME_ACROSS_NETWORK),
            story_published=state.allows(domain.ConsentPurpose.STORY_PUBLISHED),
        )


@strawberry.type(description="A piece of time a member gave to the network.")
class InvolvementEntry:
    id: strawberry.ID = strawberry.field(description="Identifier of this entry.")
    date: date = strawberry.field(description="The day it took place.")
    minutes: int = strawberry.field(description="How many minutes were given.")
    activity: str | None = strawberry.field(description="What the time was spent on (removed on erasure).")
    reward_preference: RewardPreference = strawberry.field(description="How the member wants to be thanked.")
    project_id: strawberry.ID | None = strawberry.field(description="The improvement project it was for, if any.")

    @classmethod
    def of(cls, entry: domain.InvolvementEntry) -> InvolvementEntry:
        return cls(
            id=strawberry.ID(str(entry.id)), date=entry.took_place_on, minutes=entry.minutes,
            activity=entry.activity or None, reward_preference=entry.reward_preference,
            project_id=strawberry.ID(str(entry.project_id)) if entry.project_id else None,
        )


@strawberry.type(description="How involved a member chooses to be, and the time they have given.")
class Involvement:
    level: InvolvementLevel | None = strawberry.field(description="Their chosen level of involvement.")
    reward_preference: RewardPreference | None = strawberry.field(description="How they usually want thanks.")
    member_id: strawberry.Private[UUID]

    @strawberry.field(description="Total minutes given, across all entries.")
    async def total_minutes(self, info: MemberInfo) -> int:
        async with info.context.reading() as session:
            return await InvolvementRepository(session).total_minutes(self.member_id)

    @strawberry.field(description="Entries of time given, newest first.", directives=[PAGE])
    async def entries(self, info: MemberInfo, first: int | None = None, after: str | None = None
                      ) -> Connection[InvolvementEntry]:
        limit = page_size(first)
        values = decode_cursor(after)
        position = (date.fromisoformat(str(values[0])), parse_id(values[1], field="after")) if values else None
        async with info.context.reading() as session:
            found = await InvolvementRepository(session).list_page(self.member_id, after=position, limit=limit + 1)
        return build_connection(found, limit=limit, cursor_of=lambda e: (e.took_place_on.isoformat(), e.id),
                                to_node=InvolvementEntry.of)


@strawberry.type(description="A training module a member has completed.")
class TrainingCompletion:
    module_id: strawberry.ID = strawberry.field(description="The module.")
    completed_on: date = strawberry.field(description="When it was completed.")


@strawberry.type(description="A training module of the network catalogue or of one organisation.")
class TrainingModule:
    id: strawberry.ID = strawberry.field(description="Identifier of the module.")
    title: str = strawberry.field(description="Its title.")
    description: str = strawberry.field(description="What it covers, in plain English.")
    level: LearningLevel = strawberry.field(description="The learning level it belongs to.")
    required: bool = strawberry.field(description="True when it must be completed to reach its level.")
    organisation_id: strawberry.ID | None = strawberry.field(
        description="The organisation that added it; null for the network-wide catalogue."
    )

    @classmethod
    def of(cls, module: domain.TrainingModule) -> TrainingModule:
        return cls(
            id=strawberry.ID(str(module.id)), title=module.title, description=module.description,
            level=module.level, required=module.required,
            organisation_id=strawberry.ID(str(module.organisation_id)) if module.organisation_id else None,
        )


@strawberry.type(description="A learning level with what it means.")
class LevelDescription:
    level: LearningLevel = strawberry.field(description="The level.")
    meaning: str = strawberry.field(description="What reaching it means, in plain English.")

    @classmethod
    def all(cls) -> list[LevelDescription]:
        return [cls(level=level, meaning=LEVEL_MEANINGS[level]) for level in domain.LearningLevel]


@strawberry.type(description="A note that two paired members met or talked.")
class CheckIn:
    id: strawberry.ID = strawberry.field(description="Identifier of the check-in.")
    happened_on: date = strawberry.field(description="When they met or talked.")
    note: str | None = strawberry.field(description="A short private note (removed on erasure).")
    recorded_by: strawberry.ID = strawberry.field(description="The member who recorded it.")


@strawberry.type(description="Two members paired for peer support.")
class Pairing:
    id: strawberry.ID = strawberry.field(description="Identifier of the pairing.")
    kind: PairingKind = strawberry.field(description="How they support each other.")
    first_member_id: strawberry.ID = strawberry.field(description="One member of the pair.")
    second_member_id: strawberry.ID = strawberry.field(description="The other member of the pair.")
    crosses_organisations: bool = strawberry.field(description="True when they belong to different organisations.")
    paired_at: datetime = strawberry.field(description="When they were paired.")
    ended_at: datetime | None = strawberry.field(description="When the pairing ended, if it has.")

    @classmethod
    def of(cls, pairing: domain.Pairing) -> Pairing:
        return cls(
            id=strawberry.ID(str(pairing.id)), kind=pairing.kind,
            first_member_id=strawberry.ID(str(pairing.first_member_id)),
            second_member_id=strawberry.ID(str(pairing.second_member_id)),
            crosses_organisations=pairing.crosses_organisations, paired_at=pairing.paired_at,
            ended_at=pairing.ended_at,
        )

    @strawberry.field(description="Check-ins of this pairing, newest first.")
    async def check_ins(self, info: MemberInfo) -> list[CheckIn]:
        async with info.context.reading() as session:
            found = await PairingRepository(session).check_ins(parse_id(self.id))
        return [CheckIn(id=strawberry.ID(str(c.id)), happened_on=c.happened_on, note=c.note or None,
                        recorded_by=strawberry.ID(str(c.recorded_by))) for c in found]


@strawberry.federation.type(keys=["id"], description="A member of the network (a 'hero').")
class Member:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the member.")
    display_name: str = strawberry.field(description="The name the member chose to be known by.")
    member_type: MemberType = strawberry.field(description="How the member takes part.")
    network_role: NetworkRole = strawberry.field(description="The member's role in the network.")
    status: MemberStatus = strawberry.field(description="Where the member is in their membership.")
    profile_visibility: ProfileVisibility = strawberry.field(description="Who the member lets see their profile.")
    interests: list[str] = strawberry.field(description="What the member is interested in improving.")
    skills: list[str] = strawberry.field(description="Skills the member offers others.")
    joined_at: datetime | None = strawberry.field(description="When the member joined.")
    stored: strawberry.Private[StoredMember]

    @classmethod
    def of(cls, stored: StoredMember) -> Member:
        member = stored.member
        return cls(
            id=strawberry.ID(str(member.id)), display_name=member.display_name, member_type=member.member_type,
            network_role=member.network_role, status=member.status, profile_visibility=member.profile_visibility,
            interests=list(member.interests), skills=list(member.skills), joined_at=member.joined_at,
            stored=stored,
        )

    @classmethod
    async def resolve_reference(cls, info: MemberInfo, id: strawberry.ID) -> Member | None:
        return await load_visible_member(info, parse_id(id))

    def _private(self, info: MemberInfo) -> bool:
        return policy.sees_private(info.context.principal, self.stored.member)

    @strawberry.federation.field(inaccessible=True, description="True: you may see this member now (a member "
                                 "you may not see resolves to null). Other subgraphs @require it.")
    def shown_to_you(self) -> bool:
        return True

    @strawberry.field(description="The member's organisation.")
    async def organisation(self, info: MemberInfo) -> Organisation | None:
        found = await info.context.organisations.load(self.stored.member.organisation_id)
        return Organisation.from_domain(found) if found else None

    @strawberry.field(description="The highest learning level the member has reached, if any.")
    async def learning_level(self, info: MemberInfo) -> LearningLevel | None:
        level = await info.context.levels.load(self.stored.member.id)
        return domain.LearningLevel(level) if level else None

    @strawberry.field(description="Contact email. Private: only the member and their coordinators see it.")
    def email(self, info: MemberInfo) -> str | None:
        return self.stored.member.email if self._private(info) else None

    @strawberry.field(description="Access and communication needs. Private.")
    def access_preferences(self, info: MemberInfo) -> AccessPreferences | None:
        if not self._private(info):
            return None
        access = self.stored.member.access
        return AccessPreferences(easy_read=access.easy_read, large_print=access.large_print,
                                 interpreter_language=access.interpreter_language,
                                 phone_contact_preferred=access.phone_contact_preferred)

    @strawberry.field(description="What a service user or carer agrees to. Private; null for staff.")
    async def consent(self, info: MemberInfo) -> ConsentStatus | None:
        if not self._private(info) or not self.stored.member.member_type.needs_consent:
            return None
        async with info.context.reading() as session:
            return ConsentStatus.of(await ConsentRepository(session).state(self.stored.member.id))

    @strawberry.field(description="Chosen involvement level and time given, with rewards. Private.")
    def involvement(self, info: MemberInfo) -> Involvement | None:
        if not self._private(info):
            return None
        return Involvement(level=self.stored.involvement_level, reward_preference=self.stored.reward_preference,
                           member_id=self.stored.member.id)

    @strawberry.field(description="Training modules completed. Private.")
    async def training(self, info: MemberInfo) -> list[TrainingCompletion] | None:
        if not self._private(info):
            return None
        async with info.context.reading() as session:
            done = await LearningRepository(session).completions(self.stored.member.id)
        return [TrainingCompletion(module_id=strawberry.ID(str(m)), completed_on=d) for m, d in sorted(done.items())]

    @strawberry.field(description="Peer support pairings, newest first. Private.")
    async def pairings(self, info: MemberInfo) -> list[Pairing] | None:
        if not self._private(info):
            return None
        async with info.context.reading() as session:
            found = await PairingRepository(session).for_member(self.stored.member.id)
        return [Pairing.of(p) for p in found]


async def load_visible_member(info: MemberInfo, member_id: UUID) -> Member | None:
    """The member, or None when there is none or the caller may not see them."""
    stored = await info.context.members.load(member_id)
    if stored is None or not policy.sees_profile(info.context.principal, stored.member, stored.visibility):
        return None
    return Member.of(stored)


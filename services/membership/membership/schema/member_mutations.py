"""Mutations about organisations and members: registering, inviting, joining, profiles, consent, erasure."""

from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain, service
from membership.domain.members import DISPLAY_NAME_MAX
from membership.repository import MemberRepository
from membership.repository.members import StoredMember
from membership.schema.context import MemberInfo
from membership.schema.enums import (
    ConsentPurpose,
    MemberStatus,
    MemberType,
    NetworkRole,
    OrganisationKind,
    ProfileVisibility,
)
from membership.schema.types import ConsentStatus, Member, Organisation, parse_id


@strawberry.input(description="A new organisation joining the network.")
class RegisterOrganisationInput:
    name: str = strawberry.field(description=f"Its name (at most {domain.NAME_MAX} characters).")
    kind: OrganisationKind = strawberry.field(description="The kind of organisation.")
    region: str = strawberry.field(description=f"The region it serves (at most {domain.REGION_MAX} characters).")


@strawberry.type(description="The result of registering an organisation.")
class RegisterOrganisationPayload:
    organisation: Organisation = strawberry.field(description="The organisation now in the network.")


@strawberry.input(description="Someone to invite into an organisation.")
class InviteMemberInput:
    organisation_id: strawberry.ID = strawberry.field(description="The organisation they will belong to.")
    display_name: str = strawberry.field(description=f"Their name (at most {DISPLAY_NAME_MAX} characters).")
    email: str = strawberry.field(description="Their email address, kept private.")
    member_type: MemberType = strawberry.field(description="How they will take part.")
    network_role: NetworkRole = strawberry.field(default=domain.NetworkRole.HERO, description="Their role.")


@strawberry.type(description="The result of an invitation.")
class InviteMemberPayload:
    member: Member = strawberry.field(description="The invited member (status INVITED).")
    invite_code: str = strawberry.field(
        description="The one-time code to give the person so they can join. It is shown only now and "
        "expires after 14 days."
    )


@strawberry.input(description="Accepting an invitation.")
class JoinNetworkInput:
    invite_code: str = strawberry.field(description="The code from the invitation.")
    display_name: str | None = strawberry.field(default=None, description="The name to be known by, if different.")
    profile_visibility: ProfileVisibility = strawberry.field(
        default=domain.ProfileVisibility.ORGANISATION, description="Who may see the profile."
    )


@strawberry.type(description="The result of joining.")
class MemberPayload:
    member: Member = strawberry.field(description="The member after the change.")


@strawberry.input(description="Access and communication needs.")
class AccessPreferencesInput:
    easy_read: bool = strawberry.field(default=False, description="Prefers easy read documents.")
    large_print: bool = strawberry.field(default=False, description="Prefers large print.")
    interpreter_language: str | None = strawberry.field(
        default=None, description="Language an interpreter is needed for."
    )
    phone_contact_preferred: bool = strawberry.field(default=False, description="Prefers to be phoned.")


@strawberry.input(description="Changes to a profile. Leave out what stays the same.")
class UpdateMyProfileInput:
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose profile: yours if left out; coordinators may give a member of theirs."
    )
    display_name: str | None = strawberry.field(default=None, description="A new name to be known by.")
    profile_visibility: ProfileVisibility | None = strawberry.field(default=None, description="Who may see it.")
    interests: list[str] | None = strawberry.field(
        default=None, description="Interests (at most 20, 40 characters each)."
    )
    skills: list[str] | None = strawberry.field(default=None, description="Skills (at most 20, 40 characters each).")
    access_preferences: AccessPreferencesInput | None = strawberry.field(default=None, description="Access needs.")


@strawberry.input(description="A change of membership status.")
class ChangeMemberStatusInput:
    member_id: strawberry.ID = strawberry.field(description="The member.")
    status: MemberStatus = strawberry.field(description="ACTIVE, PAUSED or LEFT (erasure has its own mutation).")


@strawberry.input(description="A member and the network role they should have from now on.")
class ChangeNetworkRoleInput:
    member_id: strawberry.ID = strawberry.field(description="The member.")
    network_role: NetworkRole = strawberry.field(description="Their new role.")


@strawberry.input(description="Consent given or withdrawn by a service user or carer.")
class ConsentInput:
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose consent: yours if left out; a coordinator may record a member's."
    )
    purposes: list[ConsentPurpose] = strawberry.field(description="What the consent is about.")


@strawberry.type(description="Consent after the change.")
class ConsentPayload:
    member: Member = strawberry.field(description="The member.")
    consent: ConsentStatus = strawberry.field(description="What they agree to now.")


@strawberry.input(description="Whose personal data to erase.")
class EraseMemberInput:
    member_id: strawberry.ID = strawberry.field(description="The member (yourself, or a member you coordinate).")


@strawberry.type(description="The result of erasure.")
class EraseMemberPayload:
    member_id: strawberry.ID = strawberry.field(description="The anonymous id that remains.")
    status: MemberStatus = strawberry.field(description="Always ERASED.")


@strawberry.type
class MemberMutations:
    @strawberry.mutation(description="Add an organisation to the network. Network administrators only.")
    async def register_organisation(
        self, info: MemberInfo, input: RegisterOrganisationInput
    ) -> RegisterOrganisationPayload:
        async with info.context.transaction() as session:
            organisation = await service.register_organisation(
                session, info.context.principal, name=input.name, kind=input.kind, region=input.region
            )
        return RegisterOrganisationPayload(organisation=Organisation.from_domain(organisation))

    @strawberry.mutation(description="Invite someone to join an organisation. Its coordinators only.")
    async def invite_member(self, info: MemberInfo, input: InviteMemberInput) -> InviteMemberPayload:
        async with info.context.transaction() as session:
            member, code = await service.invite_member(
                session, info.context.principal,
                organisation_id=parse_id(input.organisation_id, field="organisationId"),
                display_name=input.display_name, email=input.email, member_type=input.member_type,
                network_role=input.network_role,
            )
            stored = await _stored(session, member.id)
        return InviteMemberPayload(member=Member.of(stored), invite_code=code)

    @strawberry.mutation(description="Join the network with an invitation code. No sign-in needed.")
    async def join_network(self, info: MemberInfo, input: JoinNetworkInput) -> MemberPayload:
        async with info.context.transaction() as session:
            member = await service.join_network(
                session, invite_code=input.invite_code, display_name=input.display_name,
                profile_visibility=input.profile_visibility,
            )
            stored = await _stored(session, member.id)
        return MemberPayload(member=Member.of(stored))

    @strawberry.mutation(description="Change your profile (or, for coordinators, a member's).")
    async def update_my_profile(self, info: MemberInfo, input: UpdateMyProfileInput) -> MemberPayload:
        access = input.access_preferences
        async with info.context.transaction() as session:
            member = await service.update_profile(
                session, info.context.principal,
                member_id=parse_id(input.member_id, field="memberId") if input.member_id else None,
                display_name=input.display_name, profile_visibility=input.profile_visibility,
                interests=input.interests, skills=input.skills,
                access=domain.AccessPreferences(
                    easy_read=access.easy_read, large_print=access.large_print,
                    interpreter_language=access.interpreter_language,
                    phone_contact_preferred=access.phone_contact_preferred,
                ) if access else None,
            )
            stored = await _stored(session, member.id)
        return MemberPayload(member=Member.of(stored))

    @strawberry.mutation(description="Pause, leave or reactivate a membership.")
    async def change_member_status(self, info: MemberInfo, input: ChangeMemberStatusInput) -> MemberPayload:
        async with info.context.transaction() as session:
            member = await service.change_status(
                session, info.context.principal, member_id=parse_id(input.member_id, field="memberId"),
                status=input.status,
            )
            stored = await _stored(session, member.id)
        return MemberPayload(member=Member.of(stored))

    @strawberry.mutation(description="Give a member another network role (hero, coordinator, sponsor; network "
                         "administrators only for administrators). Their sign-in loses the old role at once.")
    async def change_network_role(self, info: MemberInfo, input: ChangeNetworkRoleInput) -> MemberPayload:
        async with info.context.transaction() as session:
            member = await service.change_network_role(
                session, info.context.principal, member_id=parse_id(input.member_id, field="memberId"),
                network_role=input.network_role,
            )
            stored = await _stored(session, member.id)
        return MemberPayload(member=Member.of(stored))

    @strawberry.mutation(description="Record consent given now by a service user or carer.")
    async def record_consent(self, info: MemberInfo, input: ConsentInput) -> ConsentPayload:
        return await _consent(info, input, given=True)

    @strawberry.mutation(description="Withdraw consent. It takes effect at once, everywhere.")
    async def withdraw_consent(self, info: MemberInfo, input: ConsentInput) -> ConsentPayload:
        return await _consent(info, input, given=False)

    @strawberry.mutation(description="Erase a member's personal data for good. The member or their coordinator.")
    async def erase_member(self, info: MemberInfo, input: EraseMemberInput) -> EraseMemberPayload:
        async with info.context.transaction() as session:
            erased = await service.erase_member(
                session, info.context.principal, member_id=parse_id(input.member_id, field="memberId")
            )
        return EraseMemberPayload(member_id=strawberry.ID(str(erased.member.id)), status=erased.member.status)


async def _stored(session: AsyncSession, member_id: UUID | None) -> StoredMember:
    assert member_id is not None  # the use case has already required a signed-in member
    return await MemberRepository(session).get(member_id)


async def _consent(info: MemberInfo, input: ConsentInput, *, given: bool) -> ConsentPayload:
    record = service.record_consent if given else service.withdraw_consent
    async with info.context.transaction() as session:
        member_id = parse_id(input.member_id, field="memberId") if input.member_id else None
        state = await record(session, info.context.principal, member_id=member_id, purposes=list(input.purposes))
        stored = await _stored(session, member_id or info.context.principal.member_id)
    return ConsentPayload(member=Member.of(stored), consent=ConsentStatus.of(state))

"""Mutations about what members do: involvement, training, peer support and the pulse."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import strawberry

from membership import service
from membership.domain.involvement import ACTIVITY_MAX
from membership.domain.learning import DESCRIPTION_MAX, TITLE_MAX
from membership.domain.peers import NOTE_MAX
from membership.repository import MemberRepository
from membership.schema.context import MemberInfo
from membership.schema.enums import InvolvementLevel, LearningLevel, PairingKind, RewardPreference
from membership.schema.member_mutations import MemberPayload
from membership.schema.types import CheckIn, InvolvementEntry, Member, Pairing, TrainingModule, parse_id


def _optional_id(value: strawberry.ID | None, field: str) -> UUID | None:
    return parse_id(value, field=field) if value else None


def _today() -> date:
    return datetime.now(UTC).date()


@strawberry.input(description="A member's chosen involvement level.")
class SetInvolvementLevelInput:
    member_id: strawberry.ID | None = strawberry.field(default=None, description="Whose: yours if left out.")
    level: InvolvementLevel = strawberry.field(description="How involved they choose to be.")
    reward_preference: RewardPreference | None = strawberry.field(
        default=None, description="How they usually want to be thanked for their time."
    )


@strawberry.input(description="Time given to the network.")
class LogInvolvementInput:
    member_id: strawberry.ID | None = strawberry.field(default=None, description="Whose time: yours if left out.")
    date: date = strawberry.field(description="The day it took place (today or earlier).")
    minutes: int = strawberry.field(description="How many minutes (1 to 1440).")
    activity: str = strawberry.field(description=f"What the time was spent on (at most {ACTIVITY_MAX} characters).")
    reward_preference: RewardPreference | None = strawberry.field(
        default=None, description="How to thank them for this time; their usual choice if left out."
    )
    project_id: strawberry.ID | None = strawberry.field(default=None, description="The project it was for, if any.")


@strawberry.type(description="The logged entry.")
class LogInvolvementPayload:
    entry: InvolvementEntry = strawberry.field(description="The new entry.")


@strawberry.input(description="An organisation's own training module.")
class DefineTrainingModuleInput:
    organisation_id: strawberry.ID = strawberry.field(description="Your organisation.")
    title: str = strawberry.field(description=f"Its title (at most {TITLE_MAX} characters).")
    description: str = strawberry.field(default="", description=f"What it covers (at most {DESCRIPTION_MAX}).")
    level: LearningLevel = strawberry.field(description="The learning level it belongs to.")
    required: bool = strawberry.field(default=False, description="True if your members need it to reach the level.")


@strawberry.type(description="The new module.")
class DefineTrainingModulePayload:
    module: TrainingModule = strawberry.field(description="The module.")


@strawberry.input(description="A completed training module.")
class RecordTrainingCompletionInput:
    member_id: strawberry.ID | None = strawberry.field(default=None, description="Who completed it: you if left out.")
    module_id: strawberry.ID = strawberry.field(description="The module.")
    completed_on: date | None = strawberry.field(default=None, description="When; today if left out.")


@strawberry.type(description="The member after the completion, and any level it took them to.")
class RecordTrainingCompletionPayload:
    member: Member = strawberry.field(description="The member.")
    levels_achieved: list[LearningLevel] = strawberry.field(description="Levels reached by this completion.")


@strawberry.input(description="Two members to pair for peer support.")
class PairPeersInput:
    first_member_id: strawberry.ID = strawberry.field(description="One member.")
    second_member_id: strawberry.ID = strawberry.field(description="The other member.")
    kind: PairingKind = strawberry.field(description="How they will support each other.")


@strawberry.type(description="A pairing after the change.")
class PairingPayload:
    pairing: Pairing = strawberry.field(description="The pairing.")


@strawberry.input(description="A meeting or talk between paired members.")
class RecordCheckInInput:
    pairing_id: strawberry.ID = strawberry.field(description="The pairing.")
    happened_on: date | None = strawberry.field(default=None, description="When; today if left out.")
    note: str = strawberry.field(default="", description=f"A short private note (at most {NOTE_MAX} characters).")


@strawberry.type(description="The recorded check-in.")
class RecordCheckInPayload:
    check_in: CheckIn = strawberry.field(description="The check-in.")


@strawberry.input(description="The pairing to end.")
class EndPairingInput:
    pairing_id: strawberry.ID = strawberry.field(description="The pairing.")


@strawberry.input(description="Your answers to this month's pulse.")
class SubmitPulseInput:
    answers: list[int] = strawberry.field(
        description="One answer per pulse statement, in order, each from 1 (strongly disagree) to 5 (strongly agree)."
    )


@strawberry.type(description="Thanks for answering.")
class SubmitPulsePayload:
    month: str = strawberry.field(description="The month answered (YYYY-MM). You can answer again next month.")


@strawberry.type
class ActivityMutations:
    @strawberry.mutation(description="Choose how involved to be, and how to be thanked.")
    async def set_involvement_level(self, info: MemberInfo, input: SetInvolvementLevelInput) -> MemberPayload:
        async with info.context.transaction() as session:
            member_id = _optional_id(input.member_id, "memberId") or info.context.principal.require_member()
            await service.set_involvement_level(session, info.context.principal, member_id=member_id,
                                                level=input.level, reward_preference=input.reward_preference)
            stored = await MemberRepository(session).get(member_id)
        return MemberPayload(member=Member.of(stored))

    @strawberry.mutation(description="Log time given to the network.")
    async def log_involvement(self, info: MemberInfo, input: LogInvolvementInput) -> LogInvolvementPayload:
        async with info.context.transaction() as session:
            entry = await service.log_involvement(
                session, info.context.principal, member_id=_optional_id(input.member_id, "memberId"),
                took_place_on=input.date, minutes=input.minutes, activity=input.activity,
                reward_preference=input.reward_preference, project_id=_optional_id(input.project_id, "projectId"),
            )
        return LogInvolvementPayload(entry=InvolvementEntry.of(entry))

    @strawberry.mutation(description="Add a training module of your organisation. Coordinators only.")
    async def define_training_module(
        self, info: MemberInfo, input: DefineTrainingModuleInput
    ) -> DefineTrainingModulePayload:
        async with info.context.transaction() as session:
            module = await service.define_training_module(
                session, info.context.principal,
                organisation_id=parse_id(input.organisation_id, field="organisationId"),
                title=input.title, description=input.description, level=input.level, required=input.required,
            )
        return DefineTrainingModulePayload(module=TrainingModule.of(module))

    @strawberry.mutation(description="Record a completed training module; levels follow on their own.")
    async def record_training_completion(
        self, info: MemberInfo, input: RecordTrainingCompletionInput
    ) -> RecordTrainingCompletionPayload:
        async with info.context.transaction() as session:
            member_id = _optional_id(input.member_id, "memberId") or info.context.principal.require_member()
            reached = await service.record_training_completion(
                session, info.context.principal, member_id=member_id,
                module_id=parse_id(input.module_id, field="moduleId"), completed_on=input.completed_on or _today(),
            )
            stored = await MemberRepository(session).get(member_id)
        return RecordTrainingCompletionPayload(member=Member.of(stored), levels_achieved=reached)

    @strawberry.mutation(description="Pair two members for peer support. Coordinators only.")
    async def pair_peers(self, info: MemberInfo, input: PairPeersInput) -> PairingPayload:
        async with info.context.transaction() as session:
            pairing = await service.pair_peers(
                session, info.context.principal, first_member_id=parse_id(input.first_member_id, field="firstMemberId"),
                second_member_id=parse_id(input.second_member_id, field="secondMemberId"), kind=input.kind,
            )
        return PairingPayload(pairing=Pairing.of(pairing))

    @strawberry.mutation(description="Record that paired members met or talked.")
    async def record_check_in(self, info: MemberInfo, input: RecordCheckInInput) -> RecordCheckInPayload:
        async with info.context.transaction() as session:
            check_in = await service.record_check_in(
                session, info.context.principal, pairing_id=parse_id(input.pairing_id, field="pairingId"),
                happened_on=input.happened_on or _today(), note=input.note,
            )
        return RecordCheckInPayload(check_in=CheckIn(
            id=strawberry.ID(str(check_in.id)), happened_on=check_in.happened_on, note=check_in.note or None,
            recorded_by=strawberry.ID(str(check_in.recorded_by)),
        ))

    @strawberry.mutation(description="End a peer support pairing.")
    async def end_pairing(self, info: MemberInfo, input: EndPairingInput) -> PairingPayload:
        async with info.context.transaction() as session:
            pairing = await service.end_pairing(session, info.context.principal,
                                                pairing_id=parse_id(input.pairing_id, field="pairingId"))
        return PairingPayload(pairing=Pairing.of(pairing))

    @strawberry.mutation(description="Answer this month's pulse (once a month). Your answers stay anonymous.")
    async def submit_pulse(self, info: MemberInfo, input: SubmitPulseInput) -> SubmitPulsePayload:
        async with info.context.transaction() as session:
            month = await service.submit_pulse(session, info.context.principal, answers=list(input.answers))
        return SubmitPulsePayload(month=month)

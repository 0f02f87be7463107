"""Mutations: thank someone, nominate someone, decide a nomination, and manage recognition rules."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from servicekit.graphql import SignInFirst

from recognition.domain import kudos as kudos_domain
from recognition.domain.nominations import Decision
from recognition.domain.rules import BadgeText
from recognition.repository.celebrations import CelebrationRepository
from recognition.schema.common import (
    NominationDecision,
    RecognitionInfo,
    RuleRecipient,
    domain_value,
    optional_id,
    parse_id,
)
from recognition.schema.rules_types import RecognitionRule
from recognition.schema.types import Celebration, Kudos, Nomination
from recognition.service import people, rules


@strawberry.input(description="A thank-you to send. Choose a member or a project team.")
class GiveKudosInput:
    to_member_id: strawberry.ID | None = strawberry.field(
        default=None, description="The member to thank."
    )
    to_project_id: strawberry.ID | None = strawberry.field(
        default=None, description="The project team to thank."
    )
    message: str = strawberry.field(
        description="What you want to say: plain text, at most "
        f"{kudos_domain.KUDOS_MESSAGE_MAX} characters."
    )
    is_public: bool = strawberry.field(
        default=True, description="Also celebrate it in the feed (where the person may be shown)."
    )


@strawberry.type(description="The result of sending a thank-you.")
class GiveKudosPayload:
    kudos: Kudos = strawberry.field(description="The thank-you sent.")


@strawberry.input(description="A nomination for a named award. Choose a member or a project.")
class NominateInput:
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="The member to nominate."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="The project to nominate."
    )
    award_name: str = strawberry.field(
        description="The award, e.g. 'Co-production champion' (at most 80 characters)."
    )
    reason: str = strawberry.field(
        description="Why they deserve it, in plain text (at most 1000 characters)."
    )


@strawberry.type(description="The result of nominating someone.")
class NominatePayload:
    nomination: Nomination = strawberry.field(description="The nomination, waiting for a decision.")


@strawberry.input(description="A coordinator's decision on a nomination.")
class DecideNominationInput:
    nomination_id: strawberry.ID = strawberry.field(description="The nomination to decide.")
    decision: NominationDecision = strawberry.field(description="Grant or decline.")
    note: str | None = strawberry.field(
        default=None, description="An optional note (at most 500 characters)."
    )


@strawberry.type(description="The result of deciding a nomination.")
class DecideNominationPayload:
    nomination: Nomination = strawberry.field(description="The nomination, now decided.")
    celebration: Celebration | None = strawberry.field(
        description="The celebration a grant posted."
    )


@strawberry.input(
    description="A condition of a new rule: the event's field must have one of these values."
)
class RuleConditionInput:
    field: str = strawberry.field(description="The event field to test (see recognitionTriggers).")
    values: list[str] = strawberry.field(description="The values that satisfy it.")


@strawberry.input(description="A new recognition rule. It applies to events from now on.")
class AddRecognitionRuleInput:
    trigger: str = strawberry.field(
        description="The event it fires on, e.g. 'projects.pdsa_cycle_completed'."
    )
    recipient: RuleRecipient = strawberry.field(description="Who receives the badge.")
    badge_name: str = strawberry.field(description="The badge's name (at most 80 characters).")
    badge_description: str = strawberry.field(description="What the badge means, in plain English.")
    badge_criteria: str = strawberry.field(description="What earns the badge, in plain English.")
    conditions: list[RuleConditionInput] = strawberry.field(
        default_factory=list, description="What the event must say; all must hold."
    )
    threshold: int = strawberry.field(default=1, description="How many such events earn the badge.")
    member_field: str | None = strawberry.field(
        default=None,
        description="For member badges: the event field naming the member (default: the first).",
    )
    network_wide: bool = strawberry.field(
        default=False,
        description="For the whole network instead of your organisation (network admins only).",
    )


@strawberry.type(description="The result of adding a rule.")
class AddRecognitionRulePayload:
    rule: RecognitionRule = strawberry.field(description="The rule, now active.")


@strawberry.input(description="A rule to retire.")
class RetireRecognitionRuleInput:
    rule_id: strawberry.ID = strawberry.field(description="The rule to retire.")


@strawberry.type(description="The result of retiring a rule.")
class RetireRecognitionRulePayload:
    rule: RecognitionRule = strawberry.field(description="The rule, now retired.")


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        extensions=[SignInFirst()],
        description="Thank a member or a project team. Not yourself; a few a day at most."
    )
    async def give_kudos(self, info: RecognitionInfo, input: GiveKudosInput) -> GiveKudosPayload:
        to_member = optional_id(input.to_member_id, field="toMemberId")
        to_project = optional_id(input.to_project_id, field="toProjectId")
        async with info.context.transaction() as session:
            kudos = await people.give_kudos(
                session,
                info.context.viewer,
                to_member_id=to_member,
                to_project_id=to_project,
                message=input.message,
                is_public=input.is_public,
                daily_limit=info.context.services.settings.kudos_daily_limit,
                now=_now(),
            )
        return GiveKudosPayload(kudos=Kudos.from_domain(kudos))

    @strawberry.mutation(
        extensions=[SignInFirst()],
        description="Nominate a member or project for a named award. Anyone signed in may."
    )
    async def nominate(self, info: RecognitionInfo, input: NominateInput) -> NominatePayload:
        member_id = optional_id(input.member_id, field="memberId")
        project_id = optional_id(input.project_id, field="projectId")
        async with info.context.transaction() as session:
            nomination = await people.nominate(
                session,
                info.context.viewer,
                member_id=member_id,
                project_id=project_id,
                award_name=input.award_name,
                reason=input.reason,
                now=_now(),
            )
        return NominatePayload(nomination=Nomination.from_domain(nomination))

    @strawberry.mutation(
        extensions=[SignInFirst()],
        description="Grant or decline a nomination. Coordinators of the nominee's organisation "
        "only. Granting posts a celebration."
    )
    async def decide_nomination(
        self, info: RecognitionInfo, input: DecideNominationInput
    ) -> DecideNominationPayload:
        nomination_id = parse_id(input.nomination_id, field="nominationId")
        async with info.context.transaction() as session:
            decided, celebration_id = await people.decide_nomination(
                session,
                info.context.viewer,
                nomination_id=nomination_id,
                decision=Decision(domain_value(input.decision)),
                note=input.note,
                now=_now(),
            )
            view = (
                await CelebrationRepository(session).view(celebration_id)
                if celebration_id
                else None
            )
        celebration = Celebration.from_view(view, info.context.viewer) if view else None
        return DecideNominationPayload(
            nomination=Nomination.from_domain(decided), celebration=celebration
        )

    @strawberry.mutation(
        extensions=[SignInFirst()],
        description="Add a recognition rule for your organisation (coordinators) or the whole "
        "network (network admins). No deploy needed."
    )
    async def add_recognition_rule(
        self, info: RecognitionInfo, input: AddRecognitionRuleInput
    ) -> AddRecognitionRulePayload:
        async with info.context.transaction() as session:
            rule = await rules.add_rule(
                session,
                info.context.viewer,
                trigger=input.trigger,
                recipient=domain_value(input.recipient),
                badge=BadgeText(input.badge_name, input.badge_description, input.badge_criteria),
                conditions={
                    condition.field: list(condition.values) for condition in input.conditions
                },
                threshold=input.threshold,
                member_field=input.member_field,
                network_wide=input.network_wide,
                now=_now(),
            )
        return AddRecognitionRulePayload(rule=RecognitionRule.from_domain(rule))

    @strawberry.mutation(
        extensions=[SignInFirst()],
        description="Retire a rule: it stops firing for events from now on; badges it gave stay."
    )
    async def retire_recognition_rule(
        self, info: RecognitionInfo, input: RetireRecognitionRuleInput
    ) -> RetireRecognitionRulePayload:
        rule_id = parse_id(input.rule_id, field="ruleId")
        async with info.context.transaction() as session:
            rule = await rules.retire_rule(
                session, info.context.viewer, rule_id=rule_id, now=_now()
            )
        return RetireRecognitionRulePayload(rule=RecognitionRule.from_domain(rule))

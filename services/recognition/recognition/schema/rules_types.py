"""GraphQL types of recognition rules, the trigger catalogue, and credential checks."""

from __future__ import annotations

from datetime import datetime

import strawberry

from recognition.domain import rules as rules_domain
from recognition.domain.triggers import Trigger
from recognition.schema.common import RuleRecipient, to_id


@strawberry.type(
    description="One condition of a rule: the event's field must have one of these values."
)
class RuleCondition:
    field: str = strawberry.field(description="The event field tested, e.g. 'to_stage'.")
    values: list[str] = strawberry.field(
        description="The values that satisfy it (any one of them)."
    )


@strawberry.type(description="The badge a rule gives.")
class BadgeDefinition:
    name: str = strawberry.field(description="The badge's name.")
    description: str = strawberry.field(description="What the badge means, in plain English.")
    criteria: str = strawberry.field(description="What earns the badge, in plain English.")


@strawberry.type(
    description="A recognition rule: which event earns which badge, for whom, how many times over."
)
class RecognitionRule:
    rule: strawberry.Private[rules_domain.Rule]
    id: strawberry.ID = strawberry.field(description="Stable identifier of the rule.")
    key: str | None = strawberry.field(
        description="The rule's id in the network rules file; null for rules added through the API."
    )
    trigger: str = strawberry.field(
        description="The event the rule fires on (see recognitionTriggers)."
    )
    conditions: list[RuleCondition] = strawberry.field(
        description="What the event must say. All must hold."
    )
    threshold: int = strawberry.field(
        description="How many such events earn the badge (1 = the first one)."
    )
    recipient: RuleRecipient = strawberry.field(description="Who receives the badge.")
    member_field: str | None = strawberry.field(
        description="For member badges: the event field naming the member."
    )
    badge: BadgeDefinition = strawberry.field(description="The badge given.")
    organisation_id: strawberry.ID | None = strawberry.field(
        description="The organisation whose events it applies to; null for the whole network."
    )
    active_from: datetime | None = strawberry.field(
        description="Events from this time count; null: all events."
    )
    retired_at: datetime | None = strawberry.field(
        description="Events from this time no longer count."
    )

    @classmethod
    def from_domain(cls, rule: rules_domain.Rule) -> RecognitionRule:
        return cls(
            rule=rule,
            id=to_id(rule.id),
            key=rule.slug,
            trigger=rule.trigger,
            conditions=[
                RuleCondition(field=name, values=list(values))
                for name, values in rule.conditions.items()
            ],
            threshold=rule.threshold,
            recipient=RuleRecipient(rule.recipient.value),
            member_field=rule.member_field,
            badge=BadgeDefinition(
                name=rule.badge.name,
                description=rule.badge.description,
                criteria=rule.badge.criteria,
            ),
            organisation_id=to_id(rule.organisation_id) if rule.organisation_id else None,
            active_from=rule.active_from,
            retired_at=rule.retired_at,
        )


@strawberry.type(description="A field of an event that rule conditions may test.")
class TriggerField:
    field: str = strawberry.field(description="The field's name.")
    values: list[str] = strawberry.field(
        description="Its possible values; empty when any text is possible."
    )


@strawberry.type(description="An event that recognition rules can fire on.")
class RecognitionTrigger:
    name: str = strawberry.field(description="The event's name, as rules refer to it.")
    meaning: str = strawberry.field(description="What happened, in plain English.")
    member_fields: list[str] = strawberry.field(
        description="Fields naming a member who can receive a badge."
    )
    about_project: bool = strawberry.field(
        description="True when a project (or its team) can receive a badge."
    )
    fields: list[TriggerField] = strawberry.field(description="Fields rule conditions may test.")

    @classmethod
    def from_domain(cls, trigger: Trigger) -> RecognitionTrigger:
        return cls(
            name=trigger.name,
            meaning=trigger.meaning,
            member_fields=list(trigger.member_fields),
            about_project=trigger.about_project,
            fields=[
                TriggerField(field=name, values=list(values))
                for name, values in trigger.conditions.items()
            ],
        )


@strawberry.type(description="The result of checking an Open Badges certificate.")
class CredentialCheck:
    is_valid: bool = strawberry.field(
        description="True when the certificate is genuine, unchanged and current."
    )
    reason: str | None = strawberry.field(description="Why it is not valid, in plain English.")
    credential_json: str | None = strawberry.field(
        description="The credential the certificate carries, as JSON "
        "text, when its signature is genuine."
    )

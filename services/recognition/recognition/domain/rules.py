"""Recognition rules as data: which event earns which badge, for whom, and how many times over."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from uuid import UUID, uuid5

from recognition.domain.errors import InvalidRule
from recognition.domain.text import plain_text
from recognition.domain.triggers import TRIGGERS, Trigger

# File rules get ids derived from their slug, so the same rule has the same id everywhere.
RULES_NAMESPACE = UUID("3ec09e1b-6a5f-4c8e-9d52-7b0c1f1d2a10")

BADGE_NAME_MAX = 80
BADGE_DESCRIPTION_MAX = 500
BADGE_CRITERIA_MAX = 1000
THRESHOLD_MAX = 1000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Recipient(StrEnum):
    """Who a rule's badge goes to."""

    MEMBER = "member"  # the member named by the event (e.g. who finished the test of change)
    TEAM = "team"  # every member of the project's team at the time of the event
    PROJECT = "project"  # the project itself


@dataclass(frozen=True, slots=True)
class BadgeText:
    """What a badge is called and what earns it, in plain English."""

    name: str
    description: str
    criteria: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated rule. `organisation_id` None means it applies across the whole network.

    A rule counts qualifying events per recipient and awards its badge once, when the
    count reaches `threshold`. It applies to events that happened while it was active
    (`active_from` <= event time < `retired_at`), so replaying events gives the same awards.
    """

    id: UUID
    trigger: str
    recipient: Recipient
    badge: BadgeText
    conditions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    threshold: int = 1
    member_field: str | None = None
    organisation_id: UUID | None = None
    slug: str | None = None
    active_from: datetime | None = None
    retired_at: datetime | None = None

    def applies_to(self, *, organisation_id: UUID | None, occurred_at: datetime) -> bool:
        if self.organisation_id is not None and self.organisation_id != organisation_id:
            return False
        if self.active_from is not None and occurred_at < self.active_from:
            return False
        return self.retired_at is None or occurred_at < self.retired_at

    def matches(self, attributes: Mapping[str, Any]) -> bool:
        """True when every condition holds for the event's fields."""
        return all(condition_value(attributes.get(name)) in allowed for name, allowed in self.conditions.items())


def condition_value(value: Any) -> str:
    """How an event field is compared with a condition: booleans as true/false, the rest as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def rule_id_for_slug(slug: str) -> UUID:
    return uuid5(RULES_NAMESPACE, slug)


def build_rule(
    *,
    rule_id: UUID,
    trigger: str,
    recipient: str,
    badge: BadgeText,
    conditions: Mapping[str, Any] | None = None,
    threshold: int = 1,
    member_field: str | None = None,
    organisation_id: UUID | None = None,
    slug: str | None = None,
    active_from: datetime | None = None,
) -> Rule:
    """Check a rule against the trigger catalogue and return it; raises InvalidRule."""
    known = TRIGGERS.get(trigger)
    if known is None:
        raise InvalidRule(f"'{trigger}' is not an event that rules can use.", field="trigger")
    try:
        kind = Recipient(recipient)
    except ValueError as error:
        raise InvalidRule(
            "Choose who receives the badge: member, team or project.", field="recipient"
        ) from error
    if not 1 <= threshold <= THRESHOLD_MAX:
        raise InvalidRule(f"The count must be between 1 and {THRESHOLD_MAX}.", field="threshold")
    if slug is not None and not SLUG.match(slug):
        raise InvalidRule("A rule id uses lower-case letters, digits and dashes only.", field="id")
    return Rule(
        id=rule_id,
        trigger=trigger,
        recipient=kind,
        badge=_checked_badge(badge),
        conditions=MappingProxyType(_checked_conditions(known, conditions or {})),
        threshold=threshold,
        member_field=_checked_member_field(known, kind, member_field),
        organisation_id=organisation_id,
        slug=slug,
        active_from=active_from,
    )


def _checked_member_field(
    trigger: Trigger, kind: Recipient, member_field: str | None
) -> str | None:
    if kind is Recipient.MEMBER:
        if not trigger.member_fields:
            raise InvalidRule(
                "This event does not name a member, so the badge cannot go to one.",
                field="recipient",
            )
        chosen = member_field or trigger.member_fields[0]
        if chosen not in trigger.member_fields:
            choices = ", ".join(trigger.member_fields)
            raise InvalidRule(
                f"For this event the member is one of: {choices}.", field="memberField"
            )
        return chosen
    if not trigger.about_project:
        raise InvalidRule(
            "This event is not about a project, so the badge can only go to a member.",
            field="recipient",
        )
    if member_field:
        raise InvalidRule(
            "A member field only applies when the badge goes to a member.", field="memberField"
        )
    return None


def _checked_conditions(
    trigger: Trigger, conditions: Mapping[str, Any]
) -> dict[str, tuple[str, ...]]:
    checked: dict[str, tuple[str, ...]] = {}
    for name, raw in conditions.items():
        allowed = trigger.allowed_values(name)
        if allowed is None:
            testable = ", ".join(trigger.conditions) or "none"
            raise InvalidRule(
                f"'{name}' cannot be tested for this event. Fields you can test: {testable}.",
                field="conditions",
            )
        values = tuple(
            sorted({condition_value(v) for v in (raw if isinstance(raw, list | tuple) else [raw])})
        )
        if not values or any(not value for value in values):
            raise InvalidRule(f"Give at least one value for '{name}'.", field="conditions")
        unknown = [value for value in values if allowed and value not in allowed]
        if unknown:
            raise InvalidRule(
                f"'{unknown[0]}' is not a possible value of '{name}'. Possible values: "
                f"{', '.join(allowed)}.",
                field="conditions",
            )
        checked[name] = values
    return dict(sorted(checked.items()))


def _checked_badge(badge: BadgeText) -> BadgeText:
    return BadgeText(
        name=plain_text(badge.name, field="badgeName", limit=BADGE_NAME_MAX),
        description=plain_text(
            badge.description, field="badgeDescription", limit=BADGE_DESCRIPTION_MAX
        ),
        criteria=plain_text(badge.criteria, field="badgeCriteria", limit=BADGE_CRITERIA_MAX),
    )


def rules_from_document(document: Mapping[str, Any]) -> list[Rule]:
    """Network rules from a parsed rules file (`[[rule]]` tables); InvalidRule names the rule."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for entry in document.get("rule", []):
        slug = str(entry.get("id", ""))
        if slug in seen:
            raise InvalidRule(f"rule '{slug}' appears twice in the rules file", field="id")
        seen.add(slug)
        try:
            badge = entry["badge"]
            rules.append(
                build_rule(
                    rule_id=rule_id_for_slug(slug),
                    slug=slug,
                    trigger=str(entry["trigger"]),
                    recipient=str(entry["recipient"]),
                    member_field=entry.get("member_field"),
                    threshold=int(entry.get("threshold", 1)),
                    conditions=entry.get("when", {}),
                    badge=BadgeText(
                        str(badge["name"]), str(badge["description"]), str(badge["criteria"])
                    ),
                )
            )
        except KeyError as error:
            raise InvalidRule(f"rule '{slug}' is missing '{error.args[0]}'", field="id") from error
        except InvalidRule as error:
            raise InvalidRule(
                f"rule '{slug}': {error.message}", field=str(error.details.get("field"))
            ) from error
    return rules

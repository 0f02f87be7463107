"""Rule management: the network's rules from the checked-in file, organisations' via the API."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from servicekit.errors import NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.errors import NotCoordinator, RuleAlreadyRetired, RuleNotFound
from recognition.domain.rules import BadgeText, Rule, build_rule, rules_from_document
from recognition.repository.rules import RuleRepository


def load_rules_file(path: Path) -> list[Rule]:
    """The network rules in a rules file; raises InvalidRule naming the rule at fault."""
    with path.open("rb") as file:
        return rules_from_document(tomllib.load(file))


async def sync_network_rules(
    session: AsyncSession, rules: list[Rule], now: datetime
) -> tuple[int, int]:
    """Make the rules table match the file: (rules added or changed, rules retired). Idempotent."""
    return await RuleRepository(session).sync_file_rules(rules, now)


async def add_rule(
    session: AsyncSession,
    author: Principal,
    *,
    trigger: str,
    recipient: str,
    badge: BadgeText,
    conditions: Mapping[str, Any],
    threshold: int,
    member_field: str | None,
    network_wide: bool,
    now: datetime,
) -> Rule:
    """A new rule, applying to events from now on.

    Coordinators add rules for their own organisation; network administrators may
    add rules for the whole network.
    """
    author_id = author.require_member()
    if network_wide and not author.is_network_admin:
        raise NotAllowed("Only network administrators can add rules for the whole network.")
    if not network_wide and not author.is_coordinator_of(author.organisation_id):
        raise NotCoordinator("add recognition rules")
    rule = build_rule(
        rule_id=uuid4(),
        trigger=trigger,
        recipient=recipient,
        badge=badge,
        conditions=conditions,
        threshold=threshold,
        member_field=member_field,
        organisation_id=None if network_wide else author.organisation_id,
        active_from=now,
    )
    await RuleRepository(session).add(rule, source="api", created_by=author_id, now=now)
    return rule


async def retire_rule(
    session: AsyncSession, author: Principal, *, rule_id: UUID, now: datetime
) -> Rule:
    """Stop a rule firing for events from now on; badges it already gave stay."""
    author.require_member()
    repository = RuleRepository(session)
    rule = await repository.find(rule_id)
    if rule is None or not _may_see(rule, author):
        raise RuleNotFound()
    if rule.slug is not None:
        raise NotAllowed(
            "This rule comes from the network's rules file. Change the file to retire it."
        )
    if rule.organisation_id is None and not author.is_network_admin:
        raise NotAllowed("Only network administrators can retire rules for the whole network.")
    if rule.organisation_id is not None and not author.is_coordinator_of(rule.organisation_id):
        raise NotCoordinator("retire recognition rules")
    if rule.retired_at is not None:
        raise RuleAlreadyRetired()
    await repository.retire(rule.id, now)
    return await repository.find(rule.id) or rule


async def rules_for(session: AsyncSession, viewer: Principal) -> list[Rule]:
    """The rules that apply to the viewer's organisation: the network's and its own."""
    viewer.require_member()
    return await RuleRepository(session).for_organisation(viewer.organisation_id)


def _may_see(rule: Rule, viewer: Principal) -> bool:
    return rule.organisation_id is None or rule.organisation_id == viewer.organisation_id

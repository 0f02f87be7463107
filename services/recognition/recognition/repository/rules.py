"""Reading and writing recognition rules: the network's (from rules.toml) and organisations' own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import MappingProxyType
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.rules import BadgeText, Recipient, Rule
from recognition.models import RuleRow

# Serialises rules-file syncs when the API and the consumer start at the same time.
_SYNC_LOCK = 7_250_001


class RuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Rule]:
        """Every rule, retired ones too: they still judge events from before they were retired."""
        rows = (
            await self.session.scalars(select(RuleRow).order_by(RuleRow.slug, RuleRow.id))
        ).all()
        return [_rule(row) for row in rows]

    async def for_organisation(self, organisation_id: UUID | None) -> list[Rule]:
        """Network rules plus the organisation's own, network rules first."""
        condition: ColumnElement[bool] = RuleRow.organisation_id.is_(None)
        if organisation_id is not None:
            condition = or_(condition, RuleRow.organisation_id == organisation_id)
        rows = await self.session.scalars(
            select(RuleRow)
            .where(condition)
            .order_by(RuleRow.organisation_id.nulls_first(), RuleRow.created_at, RuleRow.id)
        )
        return [_rule(row) for row in rows.all()]

    async def find(self, rule_id: UUID) -> Rule | None:
        row = await self.session.get(RuleRow, rule_id)
        return _rule(row) if row is not None else None

    async def add(self, rule: Rule, *, source: str, created_by: UUID | None, now: datetime) -> None:
        self.session.add(
            RuleRow(**_values(rule), source=source, created_by=created_by, created_at=now)
        )
        await self.session.flush()

    async def retire(self, rule_id: UUID, at: datetime) -> None:
        await self.session.execute(
            update(RuleRow).where(RuleRow.id == rule_id).values(retired_at=at)
        )

    async def sync_file_rules(self, rules: Sequence[Rule], now: datetime) -> tuple[int, int]:
        """Make the table match the rules file; returns (rules added or updated, rules retired)."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SYNC_LOCK})
        changed = 0
        for rule in rules:
            values = _values(rule)
            statement = pg_insert(RuleRow).values(**values, source="file", created_at=now)
            updates = {name: statement.excluded[name] for name in values if name != "id"}
            differs = or_(
                *(
                    getattr(RuleRow, name).is_distinct_from(statement.excluded[name])
                    for name in updates
                )
            )
            result = await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["id"], set_=updates, where=differs
                ).returning(RuleRow.id)
            )
            changed += len(result.all())
        retired = await self.session.execute(
            update(RuleRow)
            .where(
                RuleRow.source == "file",
                RuleRow.retired_at.is_(None),
                RuleRow.id.not_in([rule.id for rule in rules] or [UUID(int=0)]),
            )
            .values(retired_at=func.now())
            .returning(RuleRow.id)
        )
        return changed, len(retired.all())


def _values(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "slug": rule.slug,
        "organisation_id": rule.organisation_id,
        "trigger": rule.trigger,
        "recipient": rule.recipient.value,
        "member_field": rule.member_field,
        "threshold": rule.threshold,
        "conditions": {name: list(values) for name, values in rule.conditions.items()},
        "badge_name": rule.badge.name,
        "badge_description": rule.badge.description,
        "badge_criteria": rule.badge.criteria,
        "active_from": rule.active_from,
        "retired_at": rule.retired_at,
    }


def _rule(row: RuleRow) -> Rule:
    return Rule(
        id=row.id,
        slug=row.slug,
        organisation_id=row.organisation_id,
        trigger=row.trigger,
        recipient=Recipient(row.recipient),
        member_field=row.member_field,
        threshold=row.threshold,
        conditions=MappingProxyType(
            {name: tuple(values) for name, values in row.conditions.items()}
        ),
        badge=BadgeText(row.badge_name, row.badge_description, row.badge_criteria),
        active_from=row.active_from,
        retired_at=row.retired_at,
    )

"""Rule progress and awards: locked read-modify-write, bulk saves, and reads for the API."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.engine import Award, Evidence, Progress, ProgressKey, ProjectCredit
from recognition.domain.rules import BadgeText, Recipient
from recognition.models import AwardProjectRow, AwardRow, RuleRow
from recognition.repository import among

_ENSURE_PROGRESS = text(
    "INSERT INTO rule_progress (rule_id, recipient, recipient_id, evidence) "
    "SELECT k.rule_id, k.recipient, k.recipient_id, '[]'::jsonb "
    "FROM unnest(CAST(:rules AS uuid[]), CAST(:kinds AS text[]), CAST(:ids AS uuid[])) "
    "AS k(rule_id, recipient, recipient_id) ON CONFLICT DO NOTHING"
)
_LOCK_PROGRESS = text(
    "SELECT p.rule_id, p.recipient, p.recipient_id, p.evidence FROM rule_progress p "
    "JOIN unnest(CAST(:rules AS uuid[]), CAST(:kinds AS text[]), CAST(:ids AS uuid[])) "
    "AS k(rule_id, recipient, recipient_id) USING (rule_id, recipient, recipient_id) "
    "ORDER BY p.rule_id, p.recipient, p.recipient_id FOR UPDATE OF p"
)
_SAVE_PROGRESS = text(
    "UPDATE rule_progress SET evidence = CAST(:evidence AS jsonb) "
    "WHERE rule_id = :rule_id AND recipient = :recipient AND recipient_id = :recipient_id"
)
_SAVE_AWARD = text(
    "INSERT INTO awards (id, rule_id, recipient, recipient_id, project_id, evidence, awarded_at, "
    "anonymised_at) VALUES (:id, :rule_id, :recipient, :recipient_id, :project_id, "
    "CAST(:evidence AS uuid[]), :awarded_at, "
    ":anonymised_at) ON CONFLICT (id) DO UPDATE SET project_id = EXCLUDED.project_id, "
    "evidence = EXCLUDED.evidence, awarded_at = EXCLUDED.awarded_at"
)

_CREDIT_PROJECT = text(
    "INSERT INTO award_projects (award_id, project_id, event_id, credited_at) "
    "VALUES (:award_id, :project_id, :event_id, :credited_at) ON CONFLICT DO NOTHING "
    "RETURNING (SELECT project_id FROM awards WHERE id = :award_id) AS award_project_id"
)


@dataclass(frozen=True, slots=True)
class AwardRecord:
    """A stored award with its badge texts, as the API shows it."""

    id: UUID
    rule_id: UUID
    recipient: Recipient
    recipient_id: UUID | None
    project_id: UUID | None
    evidence: tuple[UUID, ...]
    awarded_at: datetime
    badge: BadgeText
    project_count: int = 0  # the projects a team badge was earned on (0 for other badges)


class AwardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_progress(
        self, keys: Iterable[ProgressKey], thresholds: Mapping[UUID, int]
    ) -> dict[ProgressKey, Progress]:
        """The progress of each key, locked for this transaction (rows made when missing).

        Locking in one sorted order keeps two consumers sharing the work from deadlocking
        and from losing each other's updates.
        """
        ordered = sorted(set(keys), key=lambda key: (str(key[0]), key[1].value, str(key[2])))
        if not ordered:
            return {}
        params = {
            "rules": [key[0] for key in ordered],
            "kinds": [key[1].value for key in ordered],
            "ids": [key[2] for key in ordered],
        }
        await self.session.execute(_ENSURE_PROGRESS, params)
        rows = await self.session.execute(_LOCK_PROGRESS, params)
        found: dict[ProgressKey, Progress] = {}
        for rule_id, recipient, recipient_id, evidence in rows:
            key = (rule_id, Recipient(recipient), recipient_id)
            found[key] = Progress(key, thresholds[rule_id], [_evidence(item) for item in evidence])
        return found

    async def save_progress(self, items: Iterable[Progress]) -> None:
        values = [
            {
                "rule_id": item.key[0],
                "recipient": item.key[1].value,
                "recipient_id": item.key[2],
                "evidence": _evidence_json(item.evidence),
            }
            for item in items
        ]
        if values:
            await self.session.execute(_SAVE_PROGRESS, values)

    async def save_awards(self, awards: Iterable[Award], erased: Mapping[UUID, datetime]) -> None:
        """Insert new awards or correct their evidence; an erased recipient's are anonymised."""
        values = []
        for award in awards:
            anonymised_at = (
                erased.get(award.recipient_id) if award.recipient is not Recipient.PROJECT else None
            )
            values.append(
                {
                    "id": award.id,
                    "rule_id": award.rule_id,
                    "recipient": award.recipient.value,
                    "recipient_id": None if anonymised_at else award.recipient_id,
                    "project_id": award.project_id,
                    "evidence": list(award.evidence),
                    "awarded_at": award.awarded_at,
                    "anonymised_at": anonymised_at,
                }
            )
        if values:
            await self.session.execute(_SAVE_AWARD, values)

    async def credit_projects(self, credits: Iterable[ProjectCredit]) -> list[tuple[ProjectCredit, UUID | None]]:
        """Record the projects team badges were earned on; returns the credits that are new, each with
        its award's own project (the one the award itself was celebrated for)."""
        new = []
        for credit in credits:
            inserted = await self.session.execute(_CREDIT_PROJECT, {
                "award_id": credit.award_id, "project_id": credit.project_id,
                "event_id": credit.evidence.event_id, "credited_at": credit.evidence.occurred_at,
            })
            row = inserted.first()
            if row is not None:
                new.append((credit, row.award_project_id))
        return new

    async def anonymise_member(self, member_id: UUID, at: datetime) -> int:
        result = await self.session.execute(
            update(AwardRow)
            .where(
                AwardRow.recipient.in_([Recipient.MEMBER.value, Recipient.TEAM.value]),
                AwardRow.recipient_id == member_id,
            )
            .values(recipient_id=None, anonymised_at=at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def for_members(self, member_ids: Collection[UUID]) -> dict[UUID, list[AwardRecord]]:
        """Badges held by each member, oldest first."""
        rows = await self.session.execute(
            _award_select()
            .where(
                AwardRow.recipient.in_([Recipient.MEMBER.value, Recipient.TEAM.value]),
                among(AwardRow.recipient_id, member_ids),
            )
            .order_by(AwardRow.awarded_at, AwardRow.id)
        )
        found: dict[UUID, list[AwardRecord]] = {member_id: [] for member_id in member_ids}
        for row in rows:
            record = _record(row)
            found[row.recipient_id].append(record)
        return found

    async def find(self, award_id: UUID) -> AwardRecord | None:
        row = (await self.session.execute(_award_select().where(AwardRow.id == award_id))).first()
        return _record(row) if row is not None else None


def _award_select() -> Any:
    return select(
        AwardRow.id,
        AwardRow.rule_id,
        AwardRow.recipient,
        AwardRow.recipient_id,
        AwardRow.project_id,
        AwardRow.evidence,
        AwardRow.awarded_at,
        RuleRow.badge_name,
        RuleRow.badge_description,
        RuleRow.badge_criteria,
        select(func.count())
        .where(AwardProjectRow.award_id == AwardRow.id)
        .scalar_subquery()
        .label("project_count"),
    ).join(RuleRow, RuleRow.id == AwardRow.rule_id)


def _record(row: Row[Any]) -> AwardRecord:
    return AwardRecord(
        id=row.id,
        rule_id=row.rule_id,
        recipient=Recipient(row.recipient),
        recipient_id=row.recipient_id,
        project_id=row.project_id,
        evidence=tuple(row.evidence),
        awarded_at=row.awarded_at,
        badge=BadgeText(row.badge_name, row.badge_description, row.badge_criteria),
        project_count=row.project_count,
    )


def _evidence(item: list[Any]) -> Evidence:
    occurred_at, event_id, project_id = item
    return Evidence(
        datetime.fromisoformat(occurred_at),
        UUID(event_id),
        UUID(project_id) if project_id else None,
    )


def _evidence_json(items: Iterable[Evidence]) -> str:
    return json.dumps(
        [
            [
                item.occurred_at.isoformat(),
                str(item.event_id),
                str(item.project_id) if item.project_id else None,
            ]
            for item in items
        ]
    )

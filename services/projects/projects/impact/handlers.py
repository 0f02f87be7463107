"""Events -> impact facts and states. Each handler runs in the consumer's transaction after its
inbox claim, so an event counts once however often it is delivered; and every write is an
insert-if-absent or an update that any order of arrival leaves the same, so replaying the
topics from the start rebuilds exactly the same figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from servicekit.consumer import AnyHandler
from servicekit.envelope import Envelope
from servicekit.events import Event
from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from projects import events as own
from projects import inbound
from projects.impact.models import (
    ImpactFactRow,
    ImpactPairingRow,
    ImpactPersonRow,
    ImpactProjectRow,
    ImpactPulseRow,
    ImpactSeatRow,
)

# Member types as the network's impact groups them.
TYPE_GROUPS = {
    "staff_clinical": "staff", "staff_non_clinical": "staff", "service_user": "service_user",
    "carer": "carer", "community_partner": "community",
}
FINAL_STAGES = ("closed", "abandoned")


def month_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


async def _fact(session: AsyncSession, envelope: Envelope, kind: str, at: datetime, **values: Any) -> None:
    await session.execute(
        insert(ImpactFactRow)
        .values(event_id=envelope.id, kind=kind, month=month_of(at), occurred_at=at, **values)
        .on_conflict_do_nothing(index_elements=["event_id"])
    )


async def member_joined(session: AsyncSession, event: inbound.MemberJoined, envelope: Envelope) -> None:
    group = TYPE_GROUPS.get(event.member_type or "", "unknown")
    await session.execute(
        insert(ImpactPersonRow)
        .values(member_id=event.member_id, organisation_id=event.organisation_id, type_group=group)
        .on_conflict_do_nothing(index_elements=["member_id"])
    )
    await _fact(session, envelope, "joined", event.joined_at, organisation_id=event.organisation_id,
                member_id=event.member_id, detail=group)


async def training_completed(session: AsyncSession, event: inbound.TrainingCompleted, envelope: Envelope) -> None:
    await _fact(session, envelope, "training", event.completed_at, organisation_id=event.organisation_id,
                member_id=event.member_id)


async def level_achieved(session: AsyncSession, event: inbound.LevelAchieved, envelope: Envelope) -> None:
    await _fact(session, envelope, "level", event.achieved_at, organisation_id=event.organisation_id,
                member_id=event.member_id, detail=str(event.level))


async def peers_paired(session: AsyncSession, event: inbound.PeersPaired, envelope: Envelope) -> None:
    await session.execute(
        insert(ImpactPairingRow)
        .values(pairing_id=event.pairing_id, first_member_id=event.first_member_id,
                second_member_id=event.second_member_id, crosses_organisations=event.crosses_organisations,
                started_at=event.paired_at)
        .on_conflict_do_nothing(index_elements=["pairing_id"])
    )


async def pairing_ended(session: AsyncSession, event: inbound.PairingEnded, envelope: Envelope) -> None:
    await session.execute(
        update(ImpactPairingRow).where(ImpactPairingRow.pairing_id == event.pairing_id)
        .values(ended_at=event.ended_at)
    )


async def pulse_month_closed(session: AsyncSession, event: inbound.PulseMonthClosed, envelope: Envelope) -> None:
    # Membership never sends a positive count for fewer than 5 answers; the table refuses one too.
    positive = event.energised_and_empowered if event.responses >= 5 else None
    await session.execute(
        insert(ImpactPulseRow)
        .values(organisation_id=event.organisation_id, month=event.month, responses=event.responses,
                positive=positive)
        .on_conflict_do_nothing(index_elements=["organisation_id", "month"])
    )


async def project_proposed(session: AsyncSession, event: own.ProjectProposed, envelope: Envelope) -> None:
    await session.execute(
        insert(ImpactProjectRow)
        .values(project_id=event.project_id, organisation_id=event.organisation_id, started_at=event.proposed_at)
        .on_conflict_do_nothing(index_elements=["project_id"])
    )


async def project_closed(session: AsyncSession, event: own.ProjectClosed, envelope: Envelope) -> None:
    await session.execute(
        update(ImpactProjectRow).where(ImpactProjectRow.project_id == event.project_id)
        .values(ended_at=event.closed_at)
    )


async def stage_advanced(session: AsyncSession, event: own.StageAdvanced, envelope: Envelope) -> None:
    if event.to_stage in FINAL_STAGES:
        await session.execute(
            update(ImpactProjectRow).where(ImpactProjectRow.project_id == event.project_id,
                                           ImpactProjectRow.ended_at.is_(None))
            .values(ended_at=event.advanced_at)
        )


async def _open_seat(session: AsyncSession, project_id: UUID, member_id: UUID, role: str, at: datetime) -> None:
    await session.execute(
        insert(ImpactSeatRow)
        .values(project_id=project_id, member_id=member_id, started_at=at, role=role)
        .on_conflict_do_nothing(index_elements=["project_id", "member_id", "started_at"])
    )


async def _close_seat(session: AsyncSession, project_id: UUID, member_id: UUID, at: datetime) -> None:
    """End the member's seat that was open at `at` (events of one project arrive in order)."""
    open_seat = (
        select(ImpactSeatRow.started_at)
        .where(ImpactSeatRow.project_id == project_id, ImpactSeatRow.member_id == member_id,
               ImpactSeatRow.started_at <= at,
               or_(ImpactSeatRow.ended_at.is_(None), ImpactSeatRow.ended_at > at))
        .order_by(ImpactSeatRow.started_at.desc()).limit(1).scalar_subquery()
    )
    await session.execute(
        update(ImpactSeatRow)
        .where(and_(ImpactSeatRow.project_id == project_id, ImpactSeatRow.member_id == member_id,
                    ImpactSeatRow.started_at == open_seat))
        .values(ended_at=at)
    )


async def team_member_added(session: AsyncSession, event: own.TeamMemberAdded, envelope: Envelope) -> None:
    await _open_seat(session, event.project_id, event.member_id, event.role, event.added_at)


async def team_member_left(session: AsyncSession, event: own.TeamMemberLeft, envelope: Envelope) -> None:
    await _close_seat(session, event.project_id, event.member_id, event.left_at)


async def team_role_changed(session: AsyncSession, event: own.TeamRoleChanged, envelope: Envelope) -> None:
    await _close_seat(session, event.project_id, event.member_id, event.changed_at)
    await _open_seat(session, event.project_id, event.member_id, event.to_role, event.changed_at)


async def cycle_completed(session: AsyncSession, event: own.PdsaCycleCompleted, envelope: Envelope) -> None:
    await _fact(session, envelope, "pdsa_completed", event.completed_at, organisation_id=event.organisation_id,
                project_id=event.project_id)


async def signal_detected(session: AsyncSession, event: own.MeasureSignalDetected, envelope: Envelope) -> None:
    if event.nature == "improvement":
        await _fact(session, envelope, "improvement", event.detected_at, organisation_id=event.organisation_id,
                    project_id=event.project_id)


async def badge_awarded(session: AsyncSession, event: inbound.BadgeAwarded, envelope: Envelope) -> None:
    await _fact(session, envelope, "badge", event.awarded_at, member_id=event.member_id,
                project_id=event.project_id)


async def kudos_given(session: AsyncSession, event: inbound.KudosGiven, envelope: Envelope) -> None:
    await _fact(session, envelope, "kudos", event.given_at, member_id=event.to_member_id,
                project_id=event.to_project_id)


async def nomination_decided(session: AsyncSession, event: inbound.NominationDecided, envelope: Envelope) -> None:
    if event.decision == "granted":
        await _fact(session, envelope, "nomination_granted", event.decided_at,
                    organisation_id=event.organisation_id, member_id=event.member_id, project_id=event.project_id)


HANDLERS: dict[type[Event], AnyHandler] = {
    inbound.MemberJoined: member_joined,
    inbound.TrainingCompleted: training_completed,
    inbound.LevelAchieved: level_achieved,
    inbound.PeersPaired: peers_paired,
    inbound.PairingEnded: pairing_ended,
    inbound.PulseMonthClosed: pulse_month_closed,
    own.ProjectProposed: project_proposed,
    own.ProjectClosed: project_closed,
    own.StageAdvanced: stage_advanced,
    own.TeamMemberAdded: team_member_added,
    own.TeamMemberLeft: team_member_left,
    own.TeamRoleChanged: team_role_changed,
    own.PdsaCycleCompleted: cycle_completed,
    own.MeasureSignalDetected: signal_detected,
    inbound.BadgeAwarded: badge_awarded,
    inbound.KudosGiven: kudos_given,
    inbound.NominationDecided: nomination_decided,
}
TOPICS = ("membership.events.v1", "projects.events.v1", "recognition.events.v1")

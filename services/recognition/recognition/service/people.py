"""Use cases people start: thanking someone (kudos), nominating someone, deciding a nomination."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from servicekit import outbox
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.errors import (
    MemberNotFound,
    NominationNotFound,
    OneRecipientNeeded,
    ProjectNotFound,
)
from recognition.domain.kudos import Kudos, check_daily_limit, day_window
from recognition.domain.nominations import Decision, Nomination, NominationStatus
from recognition.domain.projections import MemberView, ProjectView
from recognition.domain.visibility import CelebrationKind, member_visible, project_visible
from recognition.events import KudosGiven, NominationDecided, NominationSubmitted
from recognition.repository.people import KudosRepository, NominationRepository
from recognition.repository.projections import ProjectionRepository
from recognition.service.celebrating import Celebration, post_celebrations

KUDOS_TITLE = "Thank you"


async def give_kudos(
    session: AsyncSession,
    giver: Principal,
    *,
    to_member_id: UUID | None,
    to_project_id: UUID | None,
    message: str,
    is_public: bool,
    daily_limit: int,
    now: datetime,
    kudos_id: UUID | None = None,
) -> Kudos:
    """Record a thank-you; queues KudosGiven, and for a public one posts a celebration.

    `kudos_id` is for callers that need a known id (the demo seed); the API leaves it out.
    """
    giver_id = giver.require_member()
    kudos = Kudos.give(
        giver_id=giver_id,
        to_member_id=to_member_id,
        to_project_id=to_project_id,
        message=message,
        is_public=is_public,
        now=now,
        kudos_id=kudos_id,
    )
    member, project = await _recipient(session, giver, to_member_id, to_project_id)
    repository = KudosRepository(session)
    check_daily_limit(await repository.count_given(giver_id, *day_window(now)), daily_limit)
    await repository.add(kudos)
    await _announce(session, kudos, giver_id, member, project)
    return kudos


async def _announce(
    session: AsyncSession,
    kudos: Kudos,
    giver_id: UUID,
    member: MemberView | None,
    project: ProjectView | None,
) -> None:
    """Queue KudosGiven; celebrate a public thank-you."""
    given = KudosGiven(
        kudos_id=kudos.id,
        from_member_id=giver_id,
        to_member_id=kudos.to_member_id,
        to_project_id=kudos.to_project_id,
        is_public=kudos.is_public,
        given_at=kudos.given_at,
    )
    # Kudos.give made sure exactly one recipient is set.
    await outbox.add(session, given, key=kudos.to_member_id or kudos.to_project_id or kudos.id)
    if kudos.is_public:
        celebration = Celebration(
            source_id=kudos.id,
            kind=CelebrationKind.KUDOS,
            title=KUDOS_TITLE,
            posted_at=kudos.given_at,
            member=member,
            project=project,
            from_member_id=giver_id,
        )
        await post_celebrations(session, [celebration])


async def nominate(
    session: AsyncSession,
    nominator: Principal,
    *,
    member_id: UUID | None,
    project_id: UUID | None,
    award_name: str,
    reason: str,
    now: datetime,
) -> Nomination:
    """Nominate a member or project for a named award; queues NominationSubmitted."""
    nominator_id = nominator.require_member()
    if (member_id is None) == (project_id is None):
        raise OneRecipientNeeded("nominate")
    member, project = await _recipient(session, nominator, member_id, project_id)
    organisation_id = (
        member.organisation_id if member else project.organisation_id if project else None
    )
    if organisation_id is None:
        raise MemberNotFound() if member_id else ProjectNotFound()
    nomination = Nomination.submit(
        nominator_id=nominator_id,
        member_id=member_id,
        project_id=project_id,
        organisation_id=organisation_id,
        award_name=award_name,
        reason=reason,
        now=now,
    )
    await NominationRepository(session).add(nomination)
    await outbox.add(
        session,
        NominationSubmitted(
            nomination_id=nomination.id,
            organisation_id=organisation_id,
            member_id=member_id,
            project_id=project_id,
            submitted_at=now,
        ),
        key=member_id or project_id or nomination.id,
    )
    return nomination


async def decide_nomination(
    session: AsyncSession,
    decider: Principal,
    *,
    nomination_id: UUID,
    decision: Decision,
    note: str | None,
    now: datetime,
) -> tuple[Nomination, UUID | None]:
    """Grant or decline; a grant posts a celebration. Returns the nomination, any celebration id."""
    decider.require_member()
    repository = NominationRepository(session)
    nomination = await repository.find(nomination_id, for_update=True)
    if nomination is None:
        raise NominationNotFound()
    decided = nomination.decide(decider, decision, note, now)
    await repository.save(decided)
    subject = decided.member_id or decided.project_id or decided.id  # one of the first two is set
    await outbox.add(
        session,
        NominationDecided(
            nomination_id=decided.id,
            organisation_id=decided.organisation_id,
            member_id=decided.member_id,
            project_id=decided.project_id,
            decision=decided.status.value,
            decided_at=now,
        ),
        key=subject,
    )
    if decided.status is not NominationStatus.GRANTED:
        return decided, None
    return decided, await _celebrate_grant(session, decided, now)


async def _celebrate_grant(session: AsyncSession, granted: Nomination, now: datetime) -> UUID:
    projections = ProjectionRepository(session)
    celebration = Celebration(
        source_id=granted.id,
        kind=CelebrationKind.NOMINATION,
        title=granted.award_name,
        posted_at=now,
        member=await projections.member(granted.member_id) if granted.member_id else None,
        member_id=granted.member_id,
        project=await projections.project(granted.project_id) if granted.project_id else None,
        project_id=granted.project_id,
    )
    await post_celebrations(session, [celebration])
    return celebration.id


async def _recipient(
    session: AsyncSession, viewer: Principal, member_id: UUID | None, project_id: UUID | None
) -> tuple[MemberView | None, ProjectView | None]:
    """The member or project named, if `viewer` may see it; anything else is "not found"."""
    projections = ProjectionRepository(session)
    if member_id is not None:
        member = await projections.member(member_id)
        if not member_visible(member, viewer):
            raise MemberNotFound()
        return member, None
    if project_id is not None:
        project = await projections.project(project_id)
        if not project_visible(project, viewer):
            raise ProjectNotFound()
        return None, project
    return None, None

"""Use cases for PDSA cycles: start (plan and predict), study, and act (complete)."""

from __future__ import annotations

from uuid import UUID

from servicekit import outbox
from servicekit.errors import InvalidInput
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from projects import domain
from projects.events import PdsaCycleCompleted, PdsaCycleStarted, PdsaCycleStudied
from projects.repository import CycleRepository, DiagramRepository
from projects.service.common import changeable_project, utcnow


async def _started(
    session: AsyncSession, project: domain.Project, cycle: domain.PdsaCycle, started_by: UUID
) -> None:
    await CycleRepository(session).save(cycle)
    await outbox.add(
        session,
        PdsaCycleStarted(
            project_id=project.id,
            organisation_id=project.organisation_id,
            cycle_id=cycle.id,
            change_idea_id=cycle.change_idea_id,
            started_by=started_by,
            previous_cycle_id=cycle.previous_cycle_id,
            started_at=cycle.started_at,
        ),
        key=project.id,
    )


def _leader(project: domain.Project, led_by: UUID | None) -> UUID | None:
    if led_by is not None and project.seat_of(led_by) is None:
        raise InvalidInput("The person leading a cycle must be on the project team.", field="ledBy")
    return led_by


async def start_pdsa_cycle(
    session: AsyncSession,
    principal: Principal,
    *,
    change_idea_id: UUID,
    plan: str,
    prediction: str,
    led_by: UUID | None = None,
) -> domain.PdsaCycle:
    """Plan a test of a change idea with a prediction; queues PdsaCycleStarted."""
    idea = await DiagramRepository(session).get(change_idea_id)
    hidden_as = domain.DiagramItemNotFound("We could not find that part of the driver diagram.", field="itemId")
    project = await changeable_project(session, principal, idea.project_id, hidden_as=hidden_as)
    if idea.kind is not domain.DiagramItemKind.CHANGE_IDEA:
        raise InvalidInput("PDSA cycles test change ideas; that is a driver.", field="changeIdeaId")
    cycle = domain.PdsaCycle.start(
        project_id=project.id,
        change_idea_id=idea.id,
        number=await CycleRepository(session).next_number(idea.id),
        plan=plan,
        prediction=prediction,
        started_by=principal.require_member(),
        led_by=_leader(project, led_by),
        now=utcnow(),
    )
    await _started(session, project, cycle, principal.require_member())
    return cycle


async def _cycle_to_change(
    session: AsyncSession, principal: Principal, cycle_id: UUID
) -> tuple[domain.Project, domain.PdsaCycle]:
    cycle = await CycleRepository(session).get(cycle_id)
    hidden_as = domain.CycleNotFound("We could not find that PDSA cycle.", field="cycleId")
    project = await changeable_project(session, principal, cycle.project_id, hidden_as=hidden_as)
    return project, await CycleRepository(session).get(cycle_id, for_update=True)


async def study_pdsa_cycle(
    session: AsyncSession,
    principal: Principal,
    *,
    cycle_id: UUID,
    what_happened: str,
    do_notes: str = "",
) -> domain.PdsaCycle:
    project, cycle = await _cycle_to_change(session, principal, cycle_id)
    now = utcnow()
    member = principal.require_member()
    studied = cycle.study(what_happened=what_happened, do_notes=do_notes, by=member, now=now)
    await CycleRepository(session).save(studied)
    await outbox.add(
        session,
        PdsaCycleStudied(
            project_id=project.id,
            organisation_id=project.organisation_id,
            cycle_id=cycle.id,
            change_idea_id=cycle.change_idea_id,
            studied_by=member,
            studied_at=now,
        ),
        key=project.id,
    )
    return studied


async def complete_pdsa_cycle(
    session: AsyncSession,
    principal: Principal,
    *,
    cycle_id: UUID,
    decision: domain.Decision,
    notes: str = "",
    next_plan: str | None = None,
    next_prediction: str | None = None,
    next_led_by: UUID | None = None,
) -> tuple[domain.PdsaCycle, domain.PdsaCycle | None]:
    """Act on a studied cycle; "adapt" may start the next cycle, linked to it, in the same step."""
    project, cycle = await _cycle_to_change(session, principal, cycle_id)
    now = utcnow()
    member = principal.require_member()
    done = cycle.complete(decision=decision, notes=notes, by=member, now=now)
    await CycleRepository(session).save(done)
    await outbox.add(
        session,
        PdsaCycleCompleted(
            project_id=project.id,
            organisation_id=project.organisation_id,
            cycle_id=done.id,
            change_idea_id=done.change_idea_id,
            decision=decision,
            completed_by=done.credited_member(member),
            completed_at=now,
        ),
        key=project.id,
    )
    if next_plan is None and next_prediction is None:
        return done, None
    following = done.next_cycle(
        plan=next_plan or "",
        prediction=next_prediction or "",
        by=member,
        led_by=_leader(project, next_led_by),
        now=now,
    )
    await _started(session, project, following, member)
    return done, following

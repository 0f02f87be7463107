"""Demo data for `make run`: projects in several stages across two organisations, then a year of
history (`projects.seed_history`) so the network's impact charts have something to show.

Idempotent: fixed ids, and a project already present is left as it is (each project is
seeded in one transaction, so it is there whole or not at all). Uses the service
functions with the demo members' identities, never raw SQL. Prints `{}` on stdout.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from servicekit.db import create_engine, session_factory, transaction
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from projects import domain, service
from projects.demo import (
    CARER,
    NURSE,
    PATIENT,
    RIVERSIDE,
    RIVERSIDE_COORDINATOR,
    VOICE,
    VOICE_COORDINATOR,
    demo_id,
    member,
)
from projects.repository import ProjectRepository
from projects.seed_history import seed_history
from projects.settings import get_settings
from projects.spc import Direction

# Falls per week on Ward 7: twelve weeks before comfort rounds, twelve after (an improvement shift).
FALLS = [
    19,
    22,
    20,
    18,
    21,
    23,
    19,
    20,
    22,
    18,
    21,
    20,
    15,
    14,
    16,
    13,
    14,
    12,
    15,
    13,
    14,
    12,
    13,
    14,
]
FIRST_WEEK = date(2025, 6, 2)


async def advance(
    session: AsyncSession, who: Principal, project_id: UUID, *stages: domain.Stage
) -> None:
    for stage in stages:
        await service.advance_stage(session, who, project_id, to_stage=stage)


async def falls_project(session: AsyncSession, project_id: UUID) -> None:
    await service.propose_project(
        session,
        NURSE,
        project_id=project_id,
        title="Fewer falls on Ward 7 at night",
        summary="Older patients on Ward 7 fall most often at night, usually on the way to the toilet. "
        "Nurses and patients are testing comfort rounds together.",
        aim=domain.Aim.write(
            what="Fewer falls on Ward 7", how_much="a third fewer", by_when=date(2026, 3, 31)
        ),
        themes=["falls", "older people", "patient safety"],
        visibility=domain.Visibility.NETWORK,
        co_production_level=domain.CoProductionLevel.CO_PRODUCTION,
        partner_organisation_ids=[VOICE],
    )
    await service.add_team_member(
        session,
        NURSE,
        project_id,
        member_id=member(PATIENT),
        role=domain.TeamRole.SERVICE_USER_PARTNER,
    )
    await service.add_team_member(
        session,
        NURSE,
        project_id,
        member_id=member(RIVERSIDE_COORDINATOR),
        role=domain.TeamRole.COACH,
    )
    await advance(session, NURSE, project_id, domain.Stage.SCOPING, domain.Stage.TESTING)
    _, primary = await service.add_driver(
        session, NURSE, project_id, text="Safe mobility at night", parent_driver_id=None
    )
    _, secondary = await service.add_driver(
        session, NURSE, project_id, text="Getting to the toilet safely", parent_driver_id=primary.id
    )
    await service.add_driver(
        session,
        PATIENT,
        project_id,
        text="Patients know help will come quickly",
        parent_driver_id=primary.id,
    )
    _, idea = await service.add_change_idea(
        session,
        NURSE,
        project_id,
        driver_id=secondary.id,
        title="Comfort rounds every two hours",
        description="Offer the toilet, a drink and a check of the call bell.",
    )
    await pdsa_cycles(session, idea.id)
    await falls_measure(session, project_id)


async def pdsa_cycles(session: AsyncSession, idea_id: UUID) -> None:
    first = await service.start_pdsa_cycle(
        session,
        NURSE,
        change_idea_id=idea_id,
        plan="Two-hourly comfort rounds on one bay for three nights.",
        prediction="No falls in that bay, and rounds take under five minutes each.",
        led_by=member(PATIENT),
    )
    await service.study_pdsa_cycle(
        session,
        NURSE,
        cycle_id=first.id,
        what_happened="No falls; rounds took about eight minutes.",
        do_notes="Night staff were short on the second night, so one round was late.",
    )
    await service.complete_pdsa_cycle(
        session,
        PATIENT,
        cycle_id=first.id,
        decision=domain.Decision.ADAPT,
        notes="Keep the rounds; use a short checklist to save time.",
        next_plan="Comfort rounds with a checklist across the whole ward for a week.",
        next_prediction="Falls halve that week; rounds take five minutes.",
    )


async def falls_measure(session: AsyncSession, project_id: UUID) -> None:
    measure = await service.define_measure(
        session,
        NURSE,
        project_id,
        name="Falls on Ward 7 per week",
        definition="Every fall recorded in the incident system for Ward 7, Monday to Sunday.",
        kind=domain.MeasureKind.OUTCOME,
        unit="falls",
        direction=Direction.DOWN,
        target=15.0,
    )
    for week, value in enumerate(FALLS):
        note = "Comfort rounds started" if week == 12 else None
        await service.record_measurement(
            session,
            NURSE,
            measure.id,
            on=FIRST_WEEK + timedelta(weeks=week),
            value=value,
            annotation=note,
        )


async def carers_project(session: AsyncSession, project_id: UUID) -> None:
    await service.propose_project(
        session,
        CARER,
        project_id=project_id,
        title="A carers' café for families of people leaving hospital",
        summary="Carers told us they feel lost when someone comes home from hospital. A weekly café "
        "would let them meet others and ask questions.",
        themes=["carers", "discharge", "loneliness"],
        visibility=domain.Visibility.NETWORK,
        co_production_level=domain.CoProductionLevel.CO_DESIGN,
        partner_organisation_ids=[RIVERSIDE],
    )
    await service.add_team_member(
        session,
        CARER,
        project_id,
        member_id=member(VOICE_COORDINATOR),
        role=domain.TeamRole.SPONSOR,
    )
    await advance(session, CARER, project_id, domain.Stage.SCOPING)


async def calls_project(session: AsyncSession, project_id: UUID) -> None:
    await service.propose_project(
        session,
        VOICE_COORDINATOR,
        project_id=project_id,
        title="Friendly phone calls for people living alone",
        summary="Volunteers ring people who live alone each week for a chat.",
        aim=domain.Aim.write(
            what="Fewer people feeling lonely",
            how_much="half of those called",
            by_when=date(2026, 6, 30),
        ),
        themes=["loneliness", "volunteering"],
        visibility=domain.Visibility.ORGANISATION,
    )
    await advance(
        session,
        VOICE_COORDINATOR,
        project_id,
        domain.Stage.SCOPING,
        domain.Stage.TESTING,
        domain.Stage.IMPLEMENTING,
    )


async def medicines_project(session: AsyncSession, project_id: UUID) -> None:
    await service.propose_project(
        session,
        NURSE,
        project_id=project_id,
        title="Medicines ready before discharge",
        summary="Patients wait hours for their medicines on the day they go home.",
        themes=["discharge", "medicines"],
        visibility=domain.Visibility.TEAM,
    )


PROJECTS: tuple[tuple[str, Callable[[AsyncSession, UUID], Awaitable[None]]], ...] = (
    ("project:falls-ward-7", falls_project),
    ("project:carers-cafe", carers_project),
    ("project:friendly-calls", calls_project),
    ("project:medicines-discharge", medicines_project),
)


async def seed(now: datetime | None = None) -> dict[str, str]:
    """Seed, reporting progress on stderr; `now` is the time of the run (default: now)."""
    engine = create_engine(get_settings().dsn, pool_size=2)
    sessions = session_factory(engine)
    created = 0
    try:
        for slug, build in PROJECTS:
            async with transaction(sessions) as session:
                if await ProjectRepository(session).find(demo_id(slug)) is None:
                    await build(session, demo_id(slug))
                    created += 1
                    print(f"seed: project {slug} added", file=sys.stderr)
        await seed_history(sessions, now or datetime.now(UTC))
    finally:
        await engine.dispose()
    print(
        f"seed: {created} project(s) added, {len(PROJECTS) - created} already there",
        file=sys.stderr,
    )
    return {}


def main() -> None:
    print(json.dumps(asyncio.run(seed())))


if __name__ == "__main__":
    main()

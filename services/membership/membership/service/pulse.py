"""The monthly pulse: one answer a month, results only as large-enough organisation-month groups."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from servicekit import outbox
from servicekit.errors import InvalidInput, NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.pulse import ClosedPulseMonth, PulseAlreadySubmitted, PulseSummary, close_month
from membership.events import PulseMonthClosed, PulseSubmitted
from membership.repository import MemberRepository, PulseRepository
from membership.service.common import utcnow

MONTHS_MAX = 24


async def submit_pulse(session: AsyncSession, principal: Principal, *, answers: list[int]) -> str:
    """The caller answers this month's pulse; returns the month (YYYY-MM)."""
    stored = await MemberRepository(session).get(principal.require_member(), for_update=True)
    if not stored.member.is_active:
        raise NotAllowed("Only active members can answer the pulse.")
    parsed = domain.PulseAnswers.of(answers)
    now = utcnow()
    month = domain.month_of(now)
    pulse = PulseRepository(session)
    # The member row lock serialises two submissions by one member; the key backs it up.
    if await pulse.has_submitted(stored.member.id, month):
        raise PulseAlreadySubmitted("You have already answered this month's pulse. Thank you!")
    await pulse.add(member_id=stored.member.id, organisation_id=stored.member.organisation_id, month=month,
                    answers=parsed)
    await outbox.add(
        session,
        PulseSubmitted(member_id=stored.member.id, organisation_id=stored.member.organisation_id, month=month,
                       submitted_at=now),
        key=stored.member.id,
    )
    return month


async def pulse_results(
    session: AsyncSession, principal: Principal, *, organisation_id: UUID, months: list[str]
) -> list[PulseSummary]:
    """Organisation-month averages, only for months with enough answers (coordinators and admins)."""
    if not (principal.is_coordinator_of(organisation_id) or principal.is_network_admin):
        raise NotAllowed("Only the organisation's coordinators can see its pulse results.")
    if not months or len(months) > MONTHS_MAX:
        raise InvalidInput(f"Ask for between 1 and {MONTHS_MAX} months.", field="months")
    for month in months:
        if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
            raise InvalidInput("Months are written as YYYY-MM, for example 2026-03.", field="months")
    return await PulseRepository(session).summaries(organisation_id, months=months)


async def close_pulse_months(session: AsyncSession, *, now: datetime) -> list[ClosedPulseMonth]:
    """Close every organisation-month before `now`'s month that has answers and is still open:
    record it and queue PulseMonthClosed (key: the organisation). Safe to run in several
    processes at once: each month is closed, and announced, by exactly one of them.
    Returns the months this call closed."""
    pulse = PulseRepository(session)
    closed: list[ClosedPulseMonth] = []
    # Oldest month first, then by organisation: every closer takes the closure keys in one order,
    # so two of them wait for each other at most, never deadlock.
    for (organisation_id, month), rows in (await pulse.unclosed_months_before(domain.month_of(now))).items():
        closing = close_month(organisation_id, month, rows)
        if not await pulse.record_closure(closing, closed_at=now):
            continue
        await outbox.add(
            session,
            PulseMonthClosed(organisation_id=organisation_id, month=month, responses=closing.responses,
                             energised_and_empowered=closing.energised_and_empowered, closed_at=now),
            key=organisation_id,
            occurred_at=now,
        )
        closed.append(closing)
    return closed

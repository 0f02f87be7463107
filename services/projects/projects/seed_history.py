"""A year of demo history for the network's impact charts: projects, PDSA cycles and measures made
through the use cases, each step inside `clock_at(moment)`, so rows and events carry the past
moments they stand for. It names membership's history heroes (`member:history-01` .. `-24`); a
history project is added only once projects has heard from membership about everyone it names,
and a later run adds what an earlier one had to leave out."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from time import monotonic
from uuid import UUID

from servicekit.clock import clock_at
from servicekit.db import transaction
from servicekit.identity import Principal
from servicekit.standing import ACTIVE, INVITED, standing_table
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from projects import domain, service
from projects.demo import (
    NURSE,
    RIVERSIDE,
    RIVERSIDE_COORDINATOR,
    VOICE,
    VOICE_COORDINATOR,
    demo_id,
    member,
    person,
)
from projects.repository import ProjectRepository
from projects.spc import Direction

# --- a year of history ------------------------------------------------------------------------
#
# Moments are counted in whole months ("months ago", 12 to 1) before the month the history counts
# back from, as membership's seed counts them: the month of the first run, so a later run (even
# in a later month) finds the same moments. Membership's history heroes join on day 3 of their
# month; nothing here names one before that.

COUNCIL = demo_id("org:northvale-council")
HISTORY_WAIT_SECONDS = 30.0  # for membership's word on everyone the history names
NONE_YET_SECONDS = 5.0  # no history hero at all by then: membership's seed has no history
STANDING = standing_table(MetaData())
# Announced by membership and not gone. "Invited" counts: membership's seed invites and joins a
# member at the same moment, and at equal moments the standing keeps the first word it heard.
ANNOUNCED = (INVITED, ACTIVE)
When = tuple[int, int]  # (months ago, day of that month)


@dataclass(frozen=True, slots=True)
class Calendar:
    this_month: date  # the first day of the month the history counts back from

    @classmethod
    def of(cls, now: datetime, *, months_later: int = 0) -> Calendar:
        """The calendar whose month is `months_later` months after `now`'s."""
        first = now.astimezone(UTC).date().replace(day=1)
        return cls(cls(first).day(-months_later, 1))

    def day(self, months_ago: int, day: int) -> date:
        index = self.this_month.year * 12 + self.this_month.month - 1 - months_ago
        return date(index // 12, index % 12 + 1, day)

    def at(self, when: When, hour: int) -> datetime:
        return datetime.combine(self.day(*when), time(hour), tzinfo=UTC)

    def first_monday(self, months_ago: int) -> date:
        first = self.day(months_ago, 1)
        return first + timedelta(days=-first.weekday() % 7)


def hero(number: int) -> Principal:
    """History hero NN: 01-12 at Riverside, 13-18 at Northvale Voice, 19-24 at the council."""
    organisation = RIVERSIDE if number <= 12 else VOICE if number <= 18 else COUNCIL
    return person(f"history-{number:02d}", organisation)


def joined(number: int, calendar: Calendar) -> datetime:
    """When membership's seed has history hero NN join: day 3 of a month 12 to 1 months ago."""
    return calendar.at((12 - (number - 1) % 12, 3), 10)


@dataclass(frozen=True, slots=True)
class Cycle:
    completed: When  # started eight days before, studied the day before
    led_by: Principal
    decision: domain.Decision = domain.Decision.ADAPT


@dataclass(frozen=True, slots=True)
class WeeklyMeasure:
    """Ten weeks before a change and ten after, on Mondays; the seventh week after the change
    falls on the first Monday of `signal_months_ago`, when its points make a seven-point shift
    (the only signal these series give by the Making Data Count rules)."""

    name: str
    definition: str
    unit: str
    direction: Direction
    target: float
    defined: When  # earlier weeks are entered then, from records; later ones week by week
    signal_months_ago: int
    before: tuple[float, ...]
    after: tuple[float, ...]

    def weeks(self, calendar: Calendar) -> list[tuple[date, float]]:
        first = calendar.first_monday(self.signal_months_ago) - timedelta(weeks=16)
        values = (*self.before, *self.after)
        return [(first + timedelta(weeks=week), value) for week, value in enumerate(values)]


@dataclass(frozen=True, slots=True)
class HistoryProject:
    slug: str
    lead: Principal
    title: str
    summary: str
    aim: tuple[str, str]  # what, how much; by a year after it was proposed
    themes: tuple[str, ...]
    proposed: When
    stages: tuple[tuple[When, domain.Stage], ...]
    team: tuple[tuple[When, Principal, domain.TeamRole], ...]
    drivers: tuple[str, str]  # primary, secondary
    idea: tuple[str, str]  # title, description
    cycles: tuple[Cycle, ...]
    measure: WeeklyMeasure | None = None
    visibility: domain.Visibility = domain.Visibility.NETWORK
    co_production_level: domain.CoProductionLevel | None = domain.CoProductionLevel.CO_DESIGN
    partners: tuple[UUID, ...] = ()

    @property
    def id(self) -> UUID:
        return demo_id(self.slug)

    @property
    def people(self) -> set[UUID]:
        named = [self.lead, *(who for _, who, _ in self.team), *(c.led_by for c in self.cycles)]
        return {member(who) for who in named}


S = domain.Stage
R = domain.TeamRole
ADOPT, ABANDON = domain.Decision.ADOPT, domain.Decision.ABANDON
H = {number: hero(number) for number in range(1, 25)}

HISTORY: tuple[HistoryProject, ...] = (
    HistoryProject(
        slug="project:history-pain-relief",
        lead=H[1],
        title="Pain relief within 30 minutes in the emergency department",
        summary="People in pain waited over 40 minutes for pain relief. Nurses now offer it at "
        "the first assessment.",
        aim=("Pain relief given sooner in the emergency department", "to under 35 minutes"),
        themes=("emergency department", "pain", "waiting times"),
        proposed=(12, 5),
        stages=(((12, 8), S.SCOPING), ((12, 12), S.TESTING), ((7, 10), S.IMPLEMENTING),
                ((4, 14), S.SPREADING)),
        team=(((12, 9), RIVERSIDE_COORDINATOR, R.COACH), ((11, 6), H[2], R.MEMBER),
              ((4, 10), H[9], R.SERVICE_USER_PARTNER)),
        drivers=("Pain is noticed early", "Nurses can give pain relief at the first assessment"),
        idea=("Pain relief at the first assessment", "A nurse-led guideline so triage nurses "
              "can offer simple pain relief straight away."),
        cycles=(Cycle((12, 26), H[1]), Cycle((11, 20), H[2]), Cycle((10, 18), H[1]),
                Cycle((8, 22), H[2]), Cycle((6, 19), H[1]), Cycle((4, 24), H[9]),
                Cycle((2, 17), H[9]), Cycle((1, 15), H[1], ADOPT)),
        measure=WeeklyMeasure(
            name="Minutes from arrival to pain relief",
            definition="The average time from arrival to the first dose of pain relief, for "
            "everyone who needed it that week.",
            unit="minutes", direction=Direction.DOWN, target=35.0, defined=(12, 20),
            signal_months_ago=9,
            before=(47, 40, 45, 38, 46, 41, 48, 39, 44, 42),
            after=(37, 39, 36, 38, 37, 35, 38, 36, 37, 39),
        ),
    ),
    HistoryProject(
        slug="project:history-missed-appointments",
        lead=H[2],
        title="Fewer missed outpatient appointments",
        summary="One in ten outpatient appointments is missed. Text reminders in plain words, "
        "written with patients, may help.",
        aim=("Fewer missed outpatient appointments", "from one in ten to one in fourteen"),
        themes=("outpatients", "appointments", "reminders"),
        proposed=(11, 12),
        stages=(((10, 5), S.SCOPING), ((9, 8), S.TESTING), ((3, 18), S.IMPLEMENTING)),
        team=(((8, 10), H[5], R.MEMBER), ((3, 9), H[10], R.SERVICE_USER_PARTNER)),
        drivers=("People remember their appointment", "Reminders people understand"),
        idea=("Plain-words text reminders", "A text three days before, written with patients."),
        cycles=(Cycle((9, 25), H[2]), Cycle((8, 24), H[5]), Cycle((7, 21), H[2]),
                Cycle((5, 20), H[5]), Cycle((3, 23), H[10]), Cycle((2, 21), H[2], ADOPT)),
        measure=WeeklyMeasure(
            name="Missed outpatient appointments",
            definition="Appointments missed without notice, as a percentage of those booked "
            "that week.",
            unit="percent", direction=Direction.DOWN, target=7.0, defined=(9, 12),
            signal_months_ago=5,
            before=(12, 9, 13, 8, 11, 10, 14, 9, 12, 10),
            after=(8, 7, 9, 6, 8, 7, 6, 8, 7, 9),
        ),
    ),
    HistoryProject(
        slug="project:history-sleep",
        lead=H[4],
        title="Better sleep on the wards at night",
        summary="Patients say noise and lights keep them awake. The team tried quiet hours.",
        aim=("More patients sleeping well on the wards", "from half to two thirds"),
        themes=("sleep", "wards", "patient experience"),
        proposed=(9, 15),
        stages=(((8, 6), S.SCOPING), ((7, 9), S.TESTING), ((3, 24), S.ABANDONED)),
        team=(((7, 12), H[6], R.MEMBER),),
        drivers=("A quiet ward at night", "Less noise from equipment and talk"),
        idea=("Quiet hours from 11pm", "Lights down, phones on silent, talk kept low."),
        cycles=(Cycle((7, 26), H[4]), Cycle((6, 23), H[6]), Cycle((5, 22), H[4]),
                Cycle((4, 21), H[6]), Cycle((3, 14), H[4], ABANDON)),
        visibility=domain.Visibility.ORGANISATION,
        co_production_level=domain.CoProductionLevel.CONSULTATION,
    ),
    HistoryProject(
        slug="project:history-handovers",
        lead=NURSE,
        title="Safer handovers between shifts",
        summary="Important details get lost when one shift hands over to the next.",
        aim=("Fewer details lost at handover", "by half"),
        themes=("handover", "patient safety"),
        proposed=(6, 9),
        stages=(((5, 4), S.SCOPING), ((4, 7), S.TESTING)),
        team=(((6, 10), H[7], R.MEMBER), ((5, 8), H[8], R.MEMBER)),
        drivers=("Everyone hears the same story", "A short, shared handover sheet"),
        idea=("A one-page handover sheet", "The same five headings for every patient."),
        cycles=(Cycle((4, 24), NURSE), Cycle((3, 19), H[7]), Cycle((2, 18), H[8]),
                Cycle((1, 19), NURSE)),
        co_production_level=None,
    ),
    HistoryProject(
        slug="project:history-carers-group",
        lead=H[13],
        title="A peer support group for new carers",
        summary="New carers feel alone. Carers who have been there run a weekly group.",
        aim=("More new carers getting support", "from 8 to 12 a week"),
        themes=("carers", "peer support", "loneliness"),
        proposed=(12, 14),
        stages=(((11, 9), S.SCOPING), ((10, 6), S.TESTING), ((5, 12), S.IMPLEMENTING)),
        team=(((12, 15), VOICE_COORDINATOR, R.SPONSOR), ((11, 5), H[14], R.MEMBER),
              ((9, 7), H[15], R.SERVICE_USER_PARTNER), ((5, 15), H[17], R.SERVICE_USER_PARTNER)),
        drivers=("Carers hear about the group", "Someone they know invites them"),
        idea=("Carers invite carers", "Each carer at the group invites one new carer they meet."),
        cycles=(Cycle((10, 24), H[13]), Cycle((9, 22), H[15]), Cycle((8, 20), H[13]),
                Cycle((6, 21), H[15]), Cycle((3, 20), H[17]), Cycle((1, 21), H[13], ADOPT)),
        measure=WeeklyMeasure(
            name="Carers at the group each week",
            definition="Carers who came to the weekly group, counted at the door.",
            unit="carers", direction=Direction.UP, target=12.0, defined=(10, 10),
            signal_months_ago=7,
            before=(6, 11, 7, 12, 8, 10, 5, 11, 7, 9),
            after=(12, 13, 11, 14, 12, 13, 15, 12, 14, 13),
        ),
        co_production_level=domain.CoProductionLevel.CO_PRODUCTION,
        partners=(RIVERSIDE,),
    ),
    HistoryProject(
        slug="project:history-easy-read",
        lead=H[14],
        title="Easy-read hospital letters",
        summary="Hospital letters are hard to read. People who use them rewrite them with staff.",
        aim=("More people understanding their hospital letters", "from half to nine in ten"),
        themes=("letters", "plain language", "accessibility"),
        proposed=(10, 8),
        stages=(((9, 4), S.SCOPING), ((8, 5), S.TESTING)),
        team=(((8, 12), H[16], R.SERVICE_USER_PARTNER),),
        drivers=("Letters people can read", "Letters written with the people who get them"),
        idea=("Rewrite one letter a month together", "A reading group rewrites one letter at a "
              "time."),
        cycles=(Cycle((7, 19), H[14]), Cycle((5, 18), H[16]), Cycle((4, 17), H[14]),
                Cycle((2, 16), H[16]), Cycle((1, 16), H[14])),
        co_production_level=domain.CoProductionLevel.CO_PRODUCTION,
        partners=(RIVERSIDE,),
    ),
    HistoryProject(
        slug="project:history-transport",
        lead=VOICE_COORDINATOR,
        title="Community transport to clinics",
        summary="People without a car miss clinic appointments. Volunteer drivers take them.",
        aim=("Fewer people missing clinics for want of a lift", "by half"),
        themes=("transport", "volunteering", "appointments"),
        proposed=(7, 11),
        stages=(((7, 25), S.SCOPING), ((6, 8), S.TESTING), ((4, 9), S.IMPLEMENTING),
                ((2, 10), S.SUSTAINING), ((1, 20), S.CLOSED)),
        team=(((7, 14), H[13], R.MEMBER), ((6, 12), H[18], R.SERVICE_USER_PARTNER)),
        drivers=("A lift is easy to book", "One phone number for lifts"),
        idea=("A booking line for lifts", "One number, answered by volunteers every weekday."),
        cycles=(Cycle((6, 25), H[13]), Cycle((5, 24), H[18], ADOPT)),
        partners=(COUNCIL,),
    ),
    HistoryProject(
        slug="project:history-warm-homes",
        lead=H[19],
        title="Warmer homes for people leaving hospital",
        summary="People go home from hospital to cold houses. The council fixes heating faster "
        "when the ward tells it early.",
        aim=("Heating fixed sooner for people leaving hospital", "to under two weeks"),
        themes=("housing", "discharge", "cold homes"),
        proposed=(6, 16),
        stages=(((5, 6), S.SCOPING), ((4, 8), S.TESTING)),
        team=(((4, 10), H[21], R.MEMBER), ((2, 9), H[23], R.SERVICE_USER_PARTNER)),
        drivers=("The council hears early", "Wards refer before the day of discharge"),
        idea=("Referral at admission", "Ask about heating when someone is admitted, not when "
              "they leave."),
        cycles=(Cycle((4, 26), H[19]), Cycle((2, 24), H[23]), Cycle((1, 23), H[21])),
        measure=WeeklyMeasure(
            name="Days from referral to heating repair",
            definition="The average number of days from the ward's referral to working heating, "
            "for repairs finished that week.",
            unit="days", direction=Direction.DOWN, target=14.0, defined=(4, 12),
            signal_months_ago=2,
            before=(21, 15, 19, 14, 22, 16, 20, 13, 18, 17),
            after=(12, 13, 11, 12, 10, 13, 11, 12, 10, 11),
        ),
        partners=(RIVERSIDE,),
    ),
    HistoryProject(
        slug="project:history-sheltered-falls",
        lead=H[20],
        title="Falls prevention in sheltered housing",
        summary="Residents of sheltered housing fall at home. Wardens check homes for trip risks.",
        aim=("Fewer falls in sheltered housing", "a quarter fewer"),
        themes=("falls", "housing", "older people"),
        proposed=(5, 7),
        stages=(((4, 5), S.SCOPING), ((3, 4), S.TESTING)),
        team=(((3, 8), H[22], R.MEMBER),),
        drivers=("Homes without trip risks", "Wardens spot risks on their rounds"),
        idea=("A trip-risk check on every visit", "A five-point check of rugs, wires, lights, "
              "steps and rails."),
        cycles=(Cycle((3, 20), H[20]), Cycle((2, 19), H[22]), Cycle((1, 22), H[20])),
        co_production_level=domain.CoProductionLevel.ENGAGEMENT,
    ),
    HistoryProject(
        slug="project:history-adaptations",
        lead=H[21],
        title="Quicker home adaptations",
        summary="Grab rails and ramps take months to fit. The team is finding out why.",
        aim=("Home adaptations fitted sooner", "within six weeks"),
        themes=("housing", "adaptations"),
        proposed=(3, 10),
        stages=(((2, 12), S.SCOPING),),
        team=(),
        drivers=("Fewer steps between request and fitting", "One assessment, not three"),
        idea=("One joint assessment", "A therapist and a surveyor visit together."),
        cycles=(),
        visibility=domain.Visibility.ORGANISATION,
        co_production_level=None,
    ),
)


Step = tuple[datetime, Callable[[], Awaitable[object]]]


def project_steps(
    session: AsyncSession, plan: HistoryProject, project_id: UUID, calendar: Calendar
) -> list[Step]:
    """Every step of one project's history with its moment; they only make sense in time order."""
    at = calendar.at
    lead = plan.lead
    made: dict[str, UUID] = {}
    steps: list[Step] = [
        (at(plan.proposed, 10), lambda: service.propose_project(
            session, lead, project_id=project_id, title=plan.title, summary=plan.summary,
            aim=domain.Aim.write(what=plan.aim[0], how_much=plan.aim[1],
                                 by_when=calendar.day(plan.proposed[0] - 12, 28)),
            themes=plan.themes, visibility=plan.visibility,
            co_production_level=plan.co_production_level, partner_organisation_ids=plan.partners)),
    ]
    for when, stage in plan.stages:
        steps.append((at(when, 14), partial(service.advance_stage, session, lead, project_id,
                                            to_stage=stage)))
    for when, who, role in plan.team:
        steps.append((at(when, 11), partial(service.add_team_member, session, lead, project_id,
                                            member_id=member(who), role=role)))

    async def diagram() -> None:
        _, primary = await service.add_driver(
            session, lead, project_id, text=plan.drivers[0], parent_driver_id=None)
        _, secondary = await service.add_driver(
            session, lead, project_id, text=plan.drivers[1], parent_driver_id=primary.id)
        _, idea = await service.add_change_idea(
            session, lead, project_id, driver_id=secondary.id, title=plan.idea[0],
            description=plan.idea[1])
        made["idea"] = idea.id

    steps.append((at(plan.stages[0][0], 15), diagram))
    for number, cycle in enumerate(plan.cycles, start=1):
        steps += cycle_steps(session, plan, cycle, number, made, at(cycle.completed, 16))
    if plan.measure is not None:
        steps += measure_steps(session, lead, project_id, plan.measure, made, calendar)
    return steps


def cycle_steps(
    session: AsyncSession, plan: HistoryProject, cycle: Cycle, number: int, made: dict[str, UUID],
    completed: datetime,
) -> list[Step]:
    who, key = cycle.led_by, f"cycle-{number}"
    idea = plan.idea[0].lower()

    async def start() -> None:
        started = await service.start_pdsa_cycle(
            session, who, change_idea_id=made["idea"], led_by=member(who),
            plan=f"Try {idea} for a week (test {number}).",
            prediction="It will help most people it is tried with, and take little extra time.")
        made[key] = started.id

    return [
        (completed - timedelta(days=8, hours=7), start),
        (completed - timedelta(days=1), lambda: service.study_pdsa_cycle(
            session, who, cycle_id=made[key],
            what_happened="It mostly worked. People told us what to change for the next test.")),
        (completed, lambda: service.complete_pdsa_cycle(
            session, who, cycle_id=made[key], decision=cycle.decision,
            notes=f"Decided to {cycle.decision.value} it after talking it through as a team.")),
    ]


def measure_steps(
    session: AsyncSession, lead: Principal, project_id: UUID, measure: WeeklyMeasure,
    made: dict[str, UUID], calendar: Calendar,
) -> list[Step]:
    """Define the measure, enter the weeks already past from records, then one week at a time."""
    defined = calendar.at(measure.defined, 11)

    async def define() -> None:
        made["measure"] = (await service.define_measure(
            session, lead, project_id, name=measure.name,
            definition=measure.definition, kind=domain.MeasureKind.OUTCOME, unit=measure.unit,
            direction=measure.direction, target=measure.target)).id

    steps: list[Step] = [(defined, define)]
    for on, value in measure.weeks(calendar):
        recorded = max(defined + timedelta(minutes=5), datetime.combine(on, time(17), tzinfo=UTC))
        steps.append((recorded, partial(record_week, session, lead, made, on, value)))
    return steps


async def record_week(
    session: AsyncSession, who: Principal, made: dict[str, UUID], on: date, value: float
) -> None:
    await service.record_measurement(session, who, made["measure"], on=on, value=value)


async def build_history_project(
    session: AsyncSession, plan: HistoryProject, calendar: Calendar
) -> None:
    steps = project_steps(session, plan, plan.id, calendar)
    for moment, step in sorted(steps, key=lambda s: s[0]):  # stable: equal moments keep their order
        with clock_at(moment):
            await step()


async def history_calendar(sessions: async_sessionmaker[AsyncSession], now: datetime) -> Calendar:
    """Where the history was placed: by a project an earlier run added, else a year after
    membership's history hero 01 joined (as membership's seed places it), else this month; never
    later than this month."""
    here = Calendar.of(now)
    async with sessions() as session:
        projects = ProjectRepository(session)
        for plan in HISTORY:
            if (found := await projects.find(plan.id)) is not None:
                placed = Calendar.of(found.proposed_at, months_later=plan.proposed[0])
                return min(placed, here, key=lambda c: c.this_month)
        first_joined = await session.scalar(
            select(STANDING.c.status_at).where(
                STANDING.c.member_id == member(H[1]), STANDING.c.status.in_(ANNOUNCED)))
    if first_joined is None:
        return here
    return min(Calendar.of(first_joined, months_later=12), here, key=lambda c: c.this_month)


async def known_members(sessions: async_sessionmaker[AsyncSession], wanted: set[UUID]) -> set[UUID]:
    """Who of `wanted` membership has told projects about (and has not seen leave)."""
    async with sessions() as session:
        found = await session.scalars(
            select(STANDING.c.member_id).where(
                STANDING.c.member_id.in_(wanted), STANDING.c.status.in_(ANNOUNCED)))
        return set(found)


async def wait_for_people(
    sessions: async_sessionmaker[AsyncSession], wanted: set[UUID]
) -> set[UUID]:
    """Poll until projects knows everyone in `wanted`, or it is clear that some will not come."""
    heroes = {member(who) for who in H.values()}
    started = monotonic()
    while True:
        known = await known_members(sessions, wanted)
        waited = monotonic() - started
        if known == wanted or waited > HISTORY_WAIT_SECONDS:
            return known
        if not known & heroes and waited > NONE_YET_SECONDS:
            return known
        await asyncio.sleep(0.5)


async def seed_history(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    async with sessions() as session:
        projects = ProjectRepository(session)
        missing = [plan for plan in HISTORY if await projects.find(plan.id) is None]
    if not missing:
        return
    known = await wait_for_people(sessions, set[UUID]().union(*(plan.people for plan in missing)))
    calendar = await history_calendar(sessions, now)
    left_out = 0
    for plan in missing:
        if not plan.people <= known:
            left_out += 1
            continue
        async with transaction(sessions) as session:
            await build_history_project(session, plan, calendar)
    if left_out:
        # Not a "seed:" line: what the seeds report to `make run` stays as it was.
        print(f"history: {left_out} of {len(HISTORY)} history projects left out until membership "
              "has announced the people they name; run the seed again to add them",
              file=sys.stderr)

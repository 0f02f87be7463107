"""A year of demo history for `make run`: 24 heroes joining month by month, their training and
levels, monthly pulse answers, peer pairings, and each pulse month closed after it ends.

Every step goes through the real use cases inside `clock_at(<its moment>)`, so its records and
events carry that moment, as if it had happened then. The plan is fixed (no randomness) and the
ids are fixed, so the history is the same on every run, and a step whose result exists is
skipped: running the seed again adds nothing. The heroes are those the contract of issue #14
names; the projects and recognition seeds use them too.

Months are counted back from the month of the first run (the "anchor"): -12 is a year before
it, -1 the month before it. A later run finds the anchor from the first hero's join, so a run
next month does not add another month of history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from servicekit.clock import clock_at, utcnow
from servicekit.db import transaction
from servicekit.identity import HERO, Principal
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from membership import domain, service
from membership.catalogue import LEVEL_ONE_MODULES, LEVEL_THREE_MODULES, LEVEL_TWO_MODULES, module_id
from membership.demo import coordinator_of, demo_id
from membership.repository import LearningRepository, MemberRepository, PairingRepository, PulseRepository

Type = domain.MemberType

RIVERSIDE, VOICE, COUNCIL = "org:riverside", "org:northvale-voice", "org:northvale-council"

# number, organisation, name, member type (the contract of issue #14)
HEROES = (
    (1, RIVERSIDE, "Amira Shah (demo)", Type.STAFF_CLINICAL),
    (2, RIVERSIDE, "Ben Okafor (demo)", Type.STAFF_CLINICAL),
    (3, RIVERSIDE, "Carys Lewis (demo)", Type.STAFF_CLINICAL),
    (4, RIVERSIDE, "Dev Patel (demo)", Type.STAFF_CLINICAL),
    (5, RIVERSIDE, "Ellie Morgan (demo)", Type.STAFF_CLINICAL),
    (6, RIVERSIDE, "Femi Adeyemi (demo)", Type.STAFF_CLINICAL),
    (7, RIVERSIDE, "Grace Lin (demo)", Type.STAFF_NON_CLINICAL),
    (8, RIVERSIDE, "Harry Walsh (demo)", Type.STAFF_NON_CLINICAL),
    (9, RIVERSIDE, "Isla Brown (demo)", Type.SERVICE_USER),
    (10, RIVERSIDE, "Jamal Reid (demo)", Type.SERVICE_USER),
    (11, RIVERSIDE, "Kath Doyle (demo)", Type.SERVICE_USER),
    (12, RIVERSIDE, "Leo Novak (demo)", Type.CARER),
    (13, VOICE, "Maya Singh (demo)", Type.COMMUNITY_PARTNER),
    (14, VOICE, "Noah Clarke (demo)", Type.COMMUNITY_PARTNER),
    (15, VOICE, "Olive Grant (demo)", Type.SERVICE_USER),
    (16, VOICE, "Priya Nair (demo)", Type.SERVICE_USER),
    (17, VOICE, "Quinn Murphy (demo)", Type.CARER),
    (18, VOICE, "Rosa Alvarez (demo)", Type.CARER),
    (19, COUNCIL, "Sian Price (demo)", Type.STAFF_NON_CLINICAL),
    (20, COUNCIL, "Tom Hughes (demo)", Type.STAFF_NON_CLINICAL),
    (21, COUNCIL, "Una Kelly (demo)", Type.STAFF_NON_CLINICAL),
    (22, COUNCIL, "Victor Mensah (demo)", Type.STAFF_NON_CLINICAL),
    (23, COUNCIL, "Wendy Cole (demo)", Type.SERVICE_USER),
    (24, COUNCIL, "Yusuf Ali (demo)", Type.CARER),
)

# Training: most heroes start in the month they join and are Explorers (level 1) a month later;
# two have not started yet. A third go on to Practitioner (level 2) and two become Leaders.
NOT_STARTED = frozenset({10, 17})
PRACTITIONERS = frozenset({1, 2, 3, 5, 7, 13, 15, 19})
LEADERS = frozenset({1, 13})

# Pulse: month -> (answers, how many of them energised and empowered). At Riverside the share
# rises over the year; at Northvale Voice only 3 answer, so no figure ever leaves membership.
PULSE = {
    RIVERSIDE: {-9: (6, 2), -8: (7, 2), -7: (8, 3), -6: (7, 3), -5: (8, 4), -4: (9, 5), -3: (9, 6),
                -2: (10, 7), -1: (10, 8)},
    VOICE: {-9: (3, 1), -8: (3, 1), -7: (3, 2), -6: (3, 1), -5: (3, 2), -4: (3, 2), -3: (3, 2),
            -2: (3, 3), -1: (3, 2)},
}
ENERGISED = ([5, 4, 4, 4, 5], [4, 5, 3, 4, 4], [4, 4, 4, 3, 4], [5, 5, 4, 4, 5])
NOT_ENERGISED = ([3, 4, 3, 3, 4], [4, 2, 3, 3, 3], [2, 3, 2, 3, 3], [3, 3, 3, 2, 3])

# number, month paired, first hero, second hero, kind, month ended (None: still paired)
PAIRINGS = (
    (1, -11, 1, 13, domain.PairingKind.CO_COACH, None),  # across organisations
    (2, -10, 2, 15, domain.PairingKind.BUDDY, -4),  # staff and a service user, across organisations
    (3, -9, 3, 14, domain.PairingKind.BUDDY, None),  # across organisations
    (4, -7, 1, 5, domain.PairingKind.COACH, None),
    (5, -6, 7, 16, domain.PairingKind.BUDDY, -2),  # staff and a service user, across organisations
    (6, -5, 19, 20, domain.PairingKind.CO_COACH, None),
    (7, -3, 4, 9, domain.PairingKind.BUDDY, None),  # staff and a service user
    (8, -2, 13, 21, domain.PairingKind.COACH, None),  # across organisations
)


@dataclass(frozen=True, slots=True)
class Hero:
    number: int
    organisation: str
    name: str
    member_type: domain.MemberType

    @property
    def slug(self) -> str:
        return f"member:history-{self.number:02d}"

    @property
    def id(self) -> UUID:
        return demo_id(self.slug)

    @property
    def joined_month(self) -> int:
        """The month the hero joins, counted back from the anchor: 01 and 13 at -12, 12 and 24 at -1."""
        return -(12 - (self.number - 1) % 12)


HISTORY_HEROES = tuple(Hero(*entry) for entry in HEROES)
BY_NUMBER = {hero.number: hero for hero in HISTORY_HEROES}

Action = Callable[[AsyncSession], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class Step:
    moment: datetime
    kind: str  # what it adds, for the summary: heroes, completions, answers, pairings, ...
    action: Action  # returns how many it added (0 when it was already there)


@dataclass(frozen=True, slots=True)
class HistoryAdded:
    counts: Mapping[str, int]

    def summary(self) -> str:
        parts = [f"{self.counts.get(kind, 0)} {label}" for kind, label in (
            ("heroes", "history hero(es)"), ("completions", "training record(s)"), ("answers", "pulse answer(s)"),
            ("pairings", "pairing(s)"), ("endings", "pairing end(s)"), ("closed", "pulse month(s) closed"))]
        return "a year of history: " + ", ".join(parts) + " added"


def month_start(moment: datetime, months: int = 0) -> datetime:
    """Midnight UTC on the first day of the month `months` after (negative: before) `moment`'s."""
    index = moment.year * 12 + moment.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def at(anchor: datetime, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return month_start(anchor, month) + timedelta(days=day - 1, hours=hour, minutes=minute)


def founding_moment(anchor: datetime) -> datetime:
    """When the demo organisations and accounts were founded: a year before the anchor month."""
    return at(anchor, -12, 1, 9)


async def history_anchor(sessions: async_sessionmaker[AsyncSession]) -> datetime:
    """The month the history counts back from: this month on the first run, the same one later."""
    async with sessions() as session:
        first = await MemberRepository(session).find(BY_NUMBER[1].id)
    if first is not None and first.member.joined_at is not None:
        return month_start(first.member.joined_at, 12)
    return month_start(utcnow())


async def seed_history(
    sessions: async_sessionmaker[AsyncSession], *, anchor: datetime, founders: Mapping[str, Sequence[str]]
) -> HistoryAdded:
    """Run every step of the plan that is due, oldest first, each in its own transaction."""
    now = utcnow()
    steps = plan(anchor, founders)
    steps.append(Step(now, "closed", close_months))  # the month before this one, once it has ended
    added: Counter[str] = Counter()
    # sorted() is stable: steps at one moment keep the plan's order.
    for step in sorted((step for step in steps if step.moment <= now), key=lambda step: step.moment):
        with clock_at(step.moment):
            async with transaction(sessions) as session:
                added[step.kind] += await step.action(session)
    return HistoryAdded(dict(added))


def plan(anchor: datetime, founders: Mapping[str, Sequence[str]]) -> list[Step]:
    """Every step of the year, in no particular order; steps in the anchor month or later are left out."""
    steps: list[Step] = []
    for hero in HISTORY_HEROES:
        steps.append(Step(at(anchor, hero.joined_month, 3, 10), "heroes", join(hero)))
        for months_after, day, module in training_of(hero):
            if hero.joined_month + months_after < 0:
                steps.append(Step(at(anchor, hero.joined_month + months_after, day, 14), "completions",
                                  complete(hero, module)))
    for organisation, months in PULSE.items():
        for month, (answers, energised) in months.items():
            answering = answerers(organisation, month, answers, founders)
            steps.append(Step(at(anchor, month, 20, 10), "answers", answer_pulse(organisation, answering, energised)))
    for number, month, first, second, kind, ended in PAIRINGS:
        pairing_id = demo_id(f"pairing:history-{number:02d}")
        steps.append(Step(at(anchor, month, 15, 11), "pairings", pair(pairing_id, first, second, kind)))
        if ended is not None:
            steps.append(Step(at(anchor, ended, 20, 11), "endings", end(pairing_id, BY_NUMBER[first].organisation)))
    # Each pulse month is closed early on the 1st of the next, as the API would have done.
    pulse_months = sorted({month for months in PULSE.values() for month in months})
    steps.extend(Step(at(anchor, month + 1, 1, 0, 5), "closed", close_months)
                 for month in pulse_months if month + 1 < 0)
    return steps


def training_of(hero: Hero) -> list[tuple[int, int, str]]:
    """(months after joining, day of the month, module) for each module the hero completes."""
    modules: list[tuple[int, int, str]] = []
    if hero.number not in NOT_STARTED:
        modules += [(0, 17, LEVEL_ONE_MODULES[0]), (1, 10, LEVEL_ONE_MODULES[1]), (1, 24, LEVEL_ONE_MODULES[2])]
    if hero.number in PRACTITIONERS:
        modules += [(3 + i, 12, slug) for i, slug in enumerate(LEVEL_TWO_MODULES)]
    if hero.number in LEADERS:
        modules += [(8 + i, 12, slug) for i, slug in enumerate(LEVEL_THREE_MODULES)]
    return modules


def answerers(organisation: str, month: int, count: int, founders: Mapping[str, Sequence[str]]) -> list[UUID]:
    """Who answers that month: `count` of the organisation's members by then, a different mix each month."""
    members = [demo_id(slug) for slug in founders.get(organisation, ())] + [
        hero.id for hero in HISTORY_HEROES if hero.organisation == organisation and hero.joined_month <= month]
    start = (month * 5) % len(members)
    return [members[(start + i) % len(members)] for i in range(min(count, len(members)))]


def join(hero: Hero) -> Action:
    async def run(session: AsyncSession) -> int:
        if await MemberRepository(session).find(hero.id) is not None:
            return 0
        coordinator = coordinator_of(hero.organisation)
        _, code = await service.invite_member(
            session, coordinator, organisation_id=demo_id(hero.organisation), display_name=hero.name,
            email=f"{hero.slug.split(':')[1]}@demo.heroes.invalid", member_type=hero.member_type,
            network_role=domain.NetworkRole.HERO, member_id=hero.id,
        )
        staff = hero.member_type in (Type.STAFF_CLINICAL, Type.STAFF_NON_CLINICAL)
        await service.join_network(session, invite_code=code, display_name=None, profile_visibility=(
            domain.ProfileVisibility.NETWORK if staff else domain.ProfileVisibility.ORGANISATION))
        if hero.member_type.needs_consent:
            await service.record_consent(session, coordinator, member_id=hero.id, purposes=[
                domain.ConsentPurpose.CONTACT, domain.ConsentPurpose.NAME_IN_ORGANISATION])
        return 1

    return run


def complete(hero: Hero, module: str) -> Action:
    async def run(session: AsyncSession) -> int:
        if module_id(module) in await LearningRepository(session).completions(hero.id):
            return 0
        await service.record_training_completion(
            session, coordinator_of(hero.organisation), member_id=hero.id, module_id=module_id(module),
            completed_on=utcnow().date(),
        )
        return 1

    return run


def answer_pulse(organisation: str, members: list[UUID], energised: int) -> Action:
    """One organisation-month's answers in one transaction: a closing running at the same time
    (an API's) sees all of them or none, never part of a month."""

    async def run(session: AsyncSession) -> int:
        month, added = domain.month_of(utcnow()), 0
        for i, member_id in enumerate(members):
            stored = await MemberRepository(session).find(member_id)
            if stored is None or not stored.member.is_active or await PulseRepository(session).has_submitted(
                    member_id, month):
                continue
            answers = ENERGISED[i % 4] if i < energised else NOT_ENERGISED[i % 4]
            principal = Principal(member_id=member_id, organisation_id=demo_id(organisation), roles=frozenset({HERO}))
            with clock_at(utcnow() + timedelta(minutes=7 * i)):
                await service.submit_pulse(session, principal, answers=list(answers))
            added += 1
        return added

    return run


def pair(pairing_id: UUID, first: int, second: int, kind: domain.PairingKind) -> Action:
    async def run(session: AsyncSession) -> int:
        if await PairingRepository(session).find(pairing_id) is not None:
            return 0
        await service.pair_peers(session, coordinator_of(BY_NUMBER[first].organisation),
                                 first_member_id=BY_NUMBER[first].id, second_member_id=BY_NUMBER[second].id,
                                 kind=kind, pairing_id=pairing_id)
        return 1

    return run


def end(pairing_id: UUID, organisation: str) -> Action:
    async def run(session: AsyncSession) -> int:
        pairing = await PairingRepository(session).find(pairing_id)
        if pairing is None or not pairing.is_active:
            return 0
        await service.end_pairing(session, coordinator_of(organisation), pairing_id=pairing_id)
        return 1

    return run


async def close_months(session: AsyncSession) -> int:
    return len(await service.close_pulse_months(session, now=utcnow()))

"""Demo data for `make run`: the network's recognition rules, one public thank-you, and a year
of history (thank-yous, decided nominations) so the network's impact charts have something to show.

Idempotent. The rules come from rules.toml (the main seed). The thank-you needs the
demo members, which arrive from membership's events; the seed waits a little for
them and leaves the thank-you out (saying so) if they have not arrived yet. The history
waits the same way for the members it names; what it must leave out, a later run adds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID, uuid5

from servicekit.clock import clock_at
from servicekit.db import create_engine, session_factory, transaction
from servicekit.identity import COORDINATOR, HERO, Principal
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from recognition.domain.nominations import Decision
from recognition.domain.projections import MemberView
from recognition.domain.visibility import member_visible
from recognition.models import NominationRow
from recognition.repository.people import KudosRepository
from recognition.repository.projections import ProjectionRepository
from recognition.service.people import decide_nomination, give_kudos, nominate
from recognition.service.rules import load_rules_file, sync_network_rules
from recognition.settings import Settings, get_settings

DEMO = UUID("5eed0000-0000-4000-8000-000000000000")
MEMBERS_WAIT_SECONDS = 20.0
THANK_YOU = (
    "Thank you for helping us redesign the discharge leaflet. Your ideas made it much clearer."
)


def demo_id(slug: str) -> UUID:
    return uuid5(DEMO, slug)


def say(message: str) -> None:
    print(f"seed: {message}", file=sys.stderr)


async def seed_rules(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    rules = load_rules_file(Path(settings.rules_file))
    async with transaction(sessions) as session:
        changed, retired = await sync_network_rules(session, rules, datetime.now(UTC))
    say(
        f"{len(rules)} network recognition rules in effect "
        f"({changed} added or updated, {retired} retired)"
    )


async def demo_members_known(sessions: async_sessionmaker[AsyncSession], *slugs: str) -> bool:
    deadline = time.monotonic() + MEMBERS_WAIT_SECONDS
    while True:
        async with sessions() as session:
            found = await ProjectionRepository(session).members({demo_id(slug) for slug in slugs})
        if len(found) == len(slugs) and all(view.is_shown for view in found.values()):
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.5)


async def seed_thank_you(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    kudos_id = demo_id("kudos:riverside-nurse-thanks-patient")
    async with sessions() as session:
        if await KudosRepository(session).find(kudos_id) is not None:
            say("the demo thank-you was already there")
            return
    if not await demo_members_known(sessions, "member:riverside-nurse", "member:riverside-patient"):
        say("the demo members have not arrived from membership yet; left out the demo thank-you")
        return
    nurse = Principal(
        member_id=demo_id("member:riverside-nurse"),
        organisation_id=demo_id("org:riverside"),
        roles=frozenset({"hero"}),
    )
    async with transaction(sessions) as session:
        await give_kudos(
            session,
            nurse,
            to_member_id=demo_id("member:riverside-patient"),
            to_project_id=None,
            message=THANK_YOU,
            is_public=True,
            daily_limit=settings.kudos_daily_limit,
            now=datetime.now(UTC),
            kudos_id=kudos_id,
        )
    say("added a public thank-you from the Riverside nurse to the Riverside patient")


# --- a year of history ------------------------------------------------------------------------
#
# Thank-yous and nominations over the twelve months before the month the history counts back
# from (as membership's seed counts them: the month of the first run, so a later run finds the
# same moments), given through the same use cases with their past moment as `now` (and as the
# clock, which dates their events). They name membership's history heroes (`member:history-01`
# .. `-24`, as issue #14's contract names them), who join on day 3 of a month 12 to 1 months
# before it; nothing here names one before that. Badges are not given here: the consumer awards
# them from the events.

RIVERSIDE = demo_id("org:riverside")
VOICE = demo_id("org:northvale-voice")
COUNCIL = demo_id("org:northvale-council")
ORGANISATIONS = (RIVERSIDE, VOICE, COUNCIL)
HISTORY_WAIT_SECONDS = 30.0  # for membership's word on everyone the history names
NONE_YET_SECONDS = 5.0  # no history hero at all by then: membership's seed has no history
KUDOS_PER_MONTH = (2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10)  # 12 months ago .. last month
MESSAGES = (
    "Thank you for listening and for making time for me this week.",
    "Thanks for sharing your story at the team meeting. It changed how we think.",
    "Thank you for running the test so carefully and writing down what happened.",
    "Thanks for covering the group when I could not be there.",
    "Thank you for explaining the run chart so clearly.",
    "Thanks for bringing cake and good ideas to the workshop.",
    "Thank you for speaking up for carers at the planning day.",
    "Thanks for helping me write my first aim.",
)
When = tuple[int, int]  # (months ago, day of that month)


@dataclass(frozen=True, slots=True)
class Calendar:
    this_month: date  # the first day of the month the history counts back from

    @classmethod
    def of(cls, now: datetime, *, months_later: int = 0) -> Calendar:
        """The calendar whose month is `months_later` months after `now`'s."""
        first = now.astimezone(UTC).date().replace(day=1)
        return cls(cls(first).at((-months_later, 1), 0).date())

    def at(self, when: When, hour: int) -> datetime:
        months_ago, day = when
        index = self.this_month.year * 12 + self.this_month.month - 1 - months_ago
        return datetime(index // 12, index % 12 + 1, day, hour, tzinfo=UTC)


def member(slug: str, organisation: UUID, *roles: str) -> Principal:
    return Principal(
        member_id=demo_id(f"member:{slug}"),
        organisation_id=organisation,
        roles=frozenset({HERO, *roles}),
    )


def hero(number: int) -> Principal:
    """History hero NN: 01-12 at Riverside, 13-18 at Northvale Voice, 19-24 at the council."""
    organisation = RIVERSIDE if number <= 12 else VOICE if number <= 18 else COUNCIL
    return member(f"history-{number:02d}", organisation)


def joined_months_ago(number: int) -> int:
    return 12 - (number - 1) % 12


H = {number: hero(number) for number in range(1, 25)}
RIVERSIDE_COORDINATOR = member("riverside-coordinator", RIVERSIDE, COORDINATOR)
VOICE_COORDINATOR = member("voice-coordinator", VOICE, COORDINATOR)
DEMO_MEMBERS = (  # membership's demo members, there all year in this story
    member("riverside-nurse", RIVERSIDE),
    member("riverside-patient", RIVERSIDE),
    RIVERSIDE_COORDINATOR,
    VOICE_COORDINATOR,
    member("voice-carer", VOICE),
)


@dataclass(frozen=True, slots=True)
class Thanks:
    slug: str
    when: When
    giver: Principal
    to: Principal
    message: str
    is_public: bool


def present(months_ago: int) -> list[list[Principal]]:
    """Each organisation's members who had joined by that month, if there are two or more."""
    people = [*DEMO_MEMBERS, *(H[n] for n in H if joined_months_ago(n) >= months_ago)]
    groups = [[p for p in people if p.organisation_id == org] for org in ORGANISATIONS]
    return [group for group in groups if len(group) > 1]


def history_kudos() -> list[Thanks]:
    """KUDOS_PER_MONTH thank-yous a month between members of one organisation (whatever their
    profile choices, colleagues may see each other), taking turns round the organisations and
    their members; on different days, so nobody comes near the daily limit."""
    plan = []
    for months_ago, count in zip(range(12, 0, -1), KUDOS_PER_MONTH, strict=True):
        groups = present(months_ago)
        for n in range(count):
            people = groups[n % len(groups)]
            turn = months_ago + n // len(groups)
            giver = people[turn % len(people)]
            to = people[(turn + 1 + n % (len(people) - 1)) % len(people)]
            plan.append(Thanks(
                slug=f"kudos:history-{months_ago:02d}-{n + 1:02d}",
                when=(months_ago, 4 + n * 24 // count),
                giver=giver,
                to=to,
                message=MESSAGES[(months_ago + n) % len(MESSAGES)],
                is_public=n % 4 != 3,
            ))
    return plan


@dataclass(frozen=True, slots=True)
class Nominated:
    submitted: When
    nominator: Principal
    nominee: Principal
    award: str
    reason: str
    decided: When
    decider: Principal
    decision: Decision
    note: str | None = None


NOMINATIONS = (
    Nominated((9, 12), H[3], H[1], "Improvement champion",
              "Led the pain relief project and coached three new heroes through their first tests.",
              (8, 4), RIVERSIDE_COORDINATOR, Decision.GRANT),
    Nominated((7, 16), H[14], H[15], "Co-production award",
              "Shaped the carers' group from the first meeting and now runs half its sessions.",
              (7, 27), VOICE_COORDINATOR, Decision.GRANT),
    Nominated((5, 9), H[6], H[2], "Rising star",
              "Took on the missed appointments project in their first months with the network.",
              (5, 23), RIVERSIDE_COORDINATOR, Decision.DECLINE,
              "A lovely nomination. This year the award went to someone who has been with us "
              "longer; please nominate again next year."),
    Nominated((4, 14), H[16], H[17], "Community voice award",
              "Spoke for carers at every planning meeting and brought two new carers with them.",
              (3, 6), VOICE_COORDINATOR, Decision.GRANT),
    Nominated((2, 11), H[8], H[9], "Co-production award",
              "Joined the pain relief team as a partner and led two of its tests.",
              (2, 25), RIVERSIDE_COORDINATOR, Decision.GRANT),
    Nominated((1, 8), H[18], H[13], "Community voice award",
              "Set up the lifts to clinics and found the volunteer drivers.",
              (1, 22), VOICE_COORDINATOR, Decision.DECLINE,
              "Thank you. This award is for members who joined this year; we will celebrate "
              "the lifts service in the newsletter instead."),
)


async def shown_members(
    sessions: async_sessionmaker[AsyncSession], wanted: set[UUID]
) -> dict[UUID, MemberView]:
    """What recognition has heard from membership about `wanted`, for those who may be shown."""
    async with sessions() as session:
        found = await ProjectionRepository(session).members(wanted)
    return {member_id: view for member_id, view in found.items() if view.is_shown}


async def wait_for_people(
    sessions: async_sessionmaker[AsyncSession], wanted: set[UUID]
) -> dict[UUID, MemberView]:
    """Poll until recognition knows everyone in `wanted`, or it is clear that some will not come."""
    heroes = {who.require_member() for who in H.values()}
    started = time.monotonic()
    while True:
        known = await shown_members(sessions, wanted)
        waited = time.monotonic() - started
        if known.keys() == wanted or waited > HISTORY_WAIT_SECONDS:
            return known
        if not known.keys() & heroes and waited > NONE_YET_SECONDS:
            return {}
        await asyncio.sleep(0.5)


def can_thank(known: dict[UUID, MemberView], giver: Principal, to: Principal) -> bool:
    """The use case's own rule: the giver is known, and may see the one they thank."""
    return giver.require_member() in known and member_visible(known.get(to.require_member()), giver)


async def missing_kudos(sessions: async_sessionmaker[AsyncSession]) -> list[Thanks]:
    plan = history_kudos()
    async with sessions() as session:
        found = await KudosRepository(session).found([demo_id(t.slug) for t in plan])
    return [thanks for thanks in plan if demo_id(thanks.slug) not in found]


async def missing_nominations(sessions: async_sessionmaker[AsyncSession]) -> list[Nominated]:
    """Nominations are not given fixed ids: one is "there" when its nominator has nominated the
    same member for the same award (no two in the plan share all three)."""
    missing = []
    async with sessions() as session:
        for nominated in NOMINATIONS:
            there = await session.scalar(select(NominationRow.id).where(
                NominationRow.nominator_id == nominated.nominator.require_member(),
                NominationRow.member_id == nominated.nominee.require_member(),
                NominationRow.award_name == nominated.award,
            ).limit(1))
            if there is None:
                missing.append(nominated)
    return missing


async def history_calendar(sessions: async_sessionmaker[AsyncSession], now: datetime) -> Calendar:
    """Where the history was placed: by a thank-you an earlier run gave, else a year after
    membership's history hero 01 joined (as membership's seed places it), else this month; never
    later than this month."""
    here = Calendar.of(now)
    plan = history_kudos()
    async with sessions() as session:
        given = await KudosRepository(session).found([demo_id(t.slug) for t in plan])
        first = await ProjectionRepository(session).member(H[1].require_member())
    placed = next((Calendar.of(given[demo_id(t.slug)].given_at, months_later=t.when[0])
                   for t in plan if demo_id(t.slug) in given), None)
    if placed is None and first is not None and first.is_shown and first.status_at:
        placed = Calendar.of(first.status_at, months_later=12)
    if placed is None:
        return here
    return min(placed, here, key=lambda c: c.this_month)


async def give_history_kudos(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, calendar: Calendar,
    thanks: Thanks,
) -> None:
    moment = calendar.at(thanks.when, 12)
    with clock_at(moment):
        async with transaction(sessions) as session:
            await give_kudos(
                session, thanks.giver, to_member_id=thanks.to.require_member(), to_project_id=None,
                message=thanks.message, is_public=thanks.is_public,
                daily_limit=settings.kudos_daily_limit, now=moment, kudos_id=demo_id(thanks.slug))


async def nominate_and_decide(
    sessions: async_sessionmaker[AsyncSession], calendar: Calendar, nominated: Nominated
) -> None:
    """Submitted and decided in one transaction: there whole or not at all."""
    submitted, decided = calendar.at(nominated.submitted, 11), calendar.at(nominated.decided, 15)
    async with transaction(sessions) as session:
        with clock_at(submitted):
            nomination = await nominate(
                session, nominated.nominator, member_id=nominated.nominee.require_member(),
                project_id=None, award_name=nominated.award, reason=nominated.reason,
                now=submitted)
        with clock_at(decided):
            await decide_nomination(
                session, nominated.decider, nomination_id=nomination.id,
                decision=nominated.decision, note=nominated.note, now=decided)


async def seed_history(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> None:
    kudos = await missing_kudos(sessions)
    nominations = await missing_nominations(sessions)
    if not kudos and not nominations:
        return
    wanted = {who.require_member() for t in kudos for who in (t.giver, t.to)}
    wanted |= {who.require_member() for n in nominations for who in (n.nominator, n.nominee)}
    known = await wait_for_people(sessions, wanted)
    calendar = await history_calendar(sessions, now)
    left_out = 0
    for thanks in kudos:
        if can_thank(known, thanks.giver, thanks.to):
            await give_history_kudos(sessions, settings, calendar, thanks)
        else:
            left_out += 1
    for nominated in nominations:
        if can_thank(known, nominated.nominator, nominated.nominee):
            await nominate_and_decide(sessions, calendar, nominated)
        else:
            left_out += 1
    if left_out:
        # Not a "seed:" line: what the seeds report to `make run` stays as it was.
        print(f"history: {left_out} of {len(kudos) + len(nominations)} thank-yous and nominations "
              "of the demo history left out until membership has announced the people they name "
              "(and their consent to be named); run the seed again to add them", file=sys.stderr)


async def seed(settings: Settings | None = None, now: datetime | None = None) -> dict[str, str]:
    """Seed, reporting progress on stderr; returns what `make run` should know (nothing here).
    `now` is the time of the run (default: now)."""
    settings = settings or get_settings()
    engine = create_engine(settings.dsn, pool_size=2)
    sessions = session_factory(engine)
    try:
        await seed_rules(sessions, settings)
        await seed_thank_you(sessions, settings)
        await seed_history(sessions, settings, now or datetime.now(UTC))
    finally:
        await engine.dispose()
    return {}


def main() -> None:
    print(json.dumps(asyncio.run(seed())))


if __name__ == "__main__":
    main()

"""The network's impact, fed a known sequence of events from all three services through Kafka.

Every monthly value of every measure is asserted, for one organisation and for the whole
network, with a chart's signals; replaying the topics from the start gives the same figures;
a pulse month of fewer than 5 answers is never shown, and nothing names a person.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from projects import events as own
from projects import inbound
from projects.api import create_app
from projects.impact.handlers import HANDLERS
from projects.impact.rebuild import wipe_derived
from projects.settings import Settings
from servicekit.consumer import ConsumerRunner
from servicekit.db import create_engine, session_factory, transaction
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.kafka import TopicSpec, ensure_topics, new_producer, reset_offsets
from servicekit.testing import GATEWAY_TEST_SECRET, GraphQLClient, Tokens, eventually, migrated_database, serve_app
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import SERVICE_DIR, stand

pytestmark = pytest.mark.asyncio(loop_scope="session")

IMPACT = """query($org: ID, $months: Int!) { networkImpact(organisationId: $org, months: $months) {
  organisationId ruleSet months diagram { aim drivers { id text measureKeys } }
  measures { key unit driverId latest values { month value note }
    chart { signals { rule nature firstPointOn lastPointOn } } } } }"""
NOTHING = "Nothing to count this month."
NO_ANSWERS = "No pulse answers this month."
NOT_SHOWN = "Fewer than 5 answers this month, so not shown."
OPEN = "This month's pulse is still open."
SO_FAR = "This month so far; it joins the chart when the month is over."


def month_back(now: datetime, back: int) -> tuple[int, int]:
    index = now.year * 12 + now.month - 1 - back
    return index // 12, index % 12 + 1


@dataclass
class World:
    """Two organisations, their people and projects; `at(k)` is day 10 of the month k months ago."""

    now: datetime
    a: UUID
    b: UUID
    staff1: UUID
    staff2: UUID
    user1: UUID
    carer1: UUID
    b_community: UUID
    b_staff: UUID
    b_user: UUID
    p1: UUID
    p2: UUID
    p3: UUID

    @classmethod
    def new(cls) -> World:
        return cls(datetime.now(UTC), *(uuid4() for _ in range(12)))

    def at(self, back: int) -> datetime:
        year, month = month_back(self.now, back)
        return datetime(year, month, 10, 12, tzinfo=UTC)

    def month(self, back: int) -> str:
        year, month = month_back(self.now, back)
        return f"{year:04d}-{month:02d}"

    @property
    def people(self) -> list[UUID]:
        return [self.staff1, self.staff2, self.user1, self.carer1, self.b_community, self.b_staff, self.b_user]


def history(w: World) -> list[tuple[Event, UUID]]:
    """The known sequence (event, key). m0 is six months ago, m5 last month; nothing this month."""
    m0, m1, m2, m3, m4, m5 = (6, 5, 4, 3, 2, 1)

    def joined(member: UUID, org: UUID, member_type: str, back: int) -> tuple[Event, UUID]:
        return inbound.MemberJoined(member_id=member, organisation_id=org, member_type=member_type,
                                    network_role="hero", visibility="network", joined_at=w.at(back)), member

    def proposed(project: UUID, org: UUID, back: int) -> tuple[Event, UUID]:
        return own.ProjectProposed(project_id=project, organisation_id=org, proposed_by=w.staff1,
                                   visibility="network", stage="idea", proposed_at=w.at(back)), project

    def signal(nature: str, back: int) -> tuple[Event, UUID]:
        return own.MeasureSignalDetected(
            project_id=w.p1, organisation_id=w.a, measure_id=uuid4(), measure_kind="outcome",
            rule_set="mdc", rule="shift", nature=nature, first_point_on=w.at(back).date(),
            last_point_on=w.at(back).date(), detected_at=w.at(back)), w.p1

    return [
        joined(w.staff1, w.a, "staff_clinical", m0), joined(w.staff2, w.a, "staff_non_clinical", m0),
        joined(w.user1, w.a, "service_user", m1), joined(w.carer1, w.a, "carer", m2),
        joined(w.b_community, w.b, "community_partner", m0), joined(w.b_staff, w.b, "staff_clinical", m3),
        joined(w.b_user, w.b, "service_user", m3),
        *[(inbound.LevelAchieved(member_id=m, organisation_id=w.a, level=1, achieved_at=w.at(m1)), m)
          for m in (w.staff1, w.staff2)],
        (inbound.LevelAchieved(member_id=w.staff1, organisation_id=w.a, level=2, achieved_at=w.at(m4)), w.staff1),
        *[(inbound.TrainingCompleted(member_id=w.staff2, organisation_id=w.a, module_id=uuid4(), level=1,
                                     completed_at=w.at(m4)), w.staff2) for _ in range(10)],
        proposed(w.p1, w.a, m0), proposed(w.p2, w.a, m2), proposed(w.p3, w.b, m1),
        (own.TeamMemberAdded(project_id=w.p1, organisation_id=w.a, member_id=w.user1, role="service_user_partner",
                             added_at=w.at(m2)), w.p1),
        (own.TeamMemberLeft(project_id=w.p1, organisation_id=w.a, member_id=w.user1, role="service_user_partner",
                            left_at=w.at(m4)), w.p1),
        (own.TeamMemberAdded(project_id=w.p2, organisation_id=w.a, member_id=w.carer1, role="member",
                             added_at=w.at(m2)), w.p2),
        (own.ProjectClosed(project_id=w.p2, organisation_id=w.a, outcome="closed", closed_at=w.at(m3)), w.p2),
        *[(own.PdsaCycleCompleted(project_id=w.p1, organisation_id=w.a, cycle_id=uuid4(), change_idea_id=uuid4(),
                                  decision="adopt", completed_by=w.staff1, completed_at=w.at(back)), w.p1)
          for back in (m3, m3, m4)],
        signal("improvement", m4), signal("improvement", m4), signal("concern", m4),
        (inbound.KudosGiven(kudos_id=uuid4(), to_member_id=w.user1, given_at=w.at(m4)), w.user1),
        (inbound.KudosGiven(kudos_id=uuid4(), to_member_id=w.staff1, given_at=w.at(m4)), w.staff1),
        (inbound.KudosGiven(kudos_id=uuid4(), to_project_id=w.p3, given_at=w.at(m5)), w.p3),
        (inbound.BadgeAwarded(award_id=uuid4(), recipient="member", member_id=w.staff1, awarded_at=w.at(m4)),
         w.staff1),
        (inbound.NominationDecided(nomination_id=uuid4(), organisation_id=w.b, member_id=w.b_community,
                                   decision="granted", decided_at=w.at(m5)), w.b),
        (inbound.NominationDecided(nomination_id=uuid4(), organisation_id=w.b, member_id=w.b_staff,
                                   decision="declined", decided_at=w.at(m5)), w.b),
        *[(inbound.PeersPaired(pairing_id=pairing, kind="buddy", first_member_id=first, second_member_id=second,
                               crosses_organisations=crosses, paired_at=w.at(back)), pairing)
          for pairing, first, second, crosses, back in (
              (w.p1, w.staff1, w.user1, False, m1),  # pairing ids need only be unique here
              (w.p2, w.staff2, w.b_community, True, m2),
              (w.p3, w.staff1, w.staff2, False, m4))],
        (inbound.PairingEnded(pairing_id=w.p1, ended_at=w.at(m3)), w.p1),
        (inbound.PulseMonthClosed(organisation_id=w.a, month=w.month(m3), responses=6, energised_and_empowered=3,
                                  closed_at=w.at(m2)), w.a),
        (inbound.PulseMonthClosed(organisation_id=w.a, month=w.month(m4), responses=4, energised_and_empowered=None,
                                  closed_at=w.at(m3)), w.a),
        (inbound.PulseMonthClosed(organisation_id=w.b, month=w.month(m4), responses=5, energised_and_empowered=5,
                                  closed_at=w.at(m3)), w.b),
        # A small group's count that should never have been sent is not shown either.
        (inbound.PulseMonthClosed(organisation_id=w.b, month=w.month(m5), responses=3, energised_and_empowered=2,
                                  closed_at=w.at(0)), w.b),
    ]


def counts(*values: float) -> list[dict[str, Any]]:
    return [{"value": float(v)} for v in values]


def shown(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"value": v["value"], **({"note": v["note"]} if v["note"] else {})} for v in values]


def expected_a() -> dict[str, list[Any]]:
    """Organisation A over the last seven months (the last is this month)."""
    none = counts(0, 0, 0, 0, 0, 0, 0)
    return {
        "heroes_joined_staff": counts(2, 0, 0, 0, 0, 0, 0),
        "heroes_joined_service_users": counts(0, 1, 0, 0, 0, 0, 0),
        "heroes_joined_carers": counts(0, 0, 1, 0, 0, 0, 0),
        "heroes_joined_community": none,
        "coproduction_reach": counts(0, 0, 2, 2, 1, 0, 0),
        "big_i_share": counts(0, 0, 50, 50, 100, 0, 0),
        "levels_explorer": counts(0, 2, 0, 0, 0, 0, 0),
        "levels_practitioner": counts(0, 0, 0, 0, 1, 0, 0),
        "levels_leader": none,
        "training_completions": counts(0, 0, 0, 0, 10, 0, 0),
        "pdsa_cycles_completed": counts(0, 0, 0, 2, 1, 0, 0),
        "projects_with_improvement": counts(0, 0, 0, 0, 1, 0, 0),
        "kudos_given": counts(0, 0, 0, 0, 2, 0, 0),
        "badges_awarded": counts(0, 0, 0, 0, 1, 0, 0),
        "nominations_granted": none,
        "recognition_to_service_users_share": [{"value": None, "note": NOTHING}] * 4 + [{"value": 33.3}]
        + [{"value": None, "note": NOTHING}] * 2,
        "pulse_energised_empowered_share": [{"value": None, "note": NO_ANSWERS}] * 3 + [
            {"value": 50.0}, {"value": None, "note": NOT_SHOWN}, {"value": None, "note": NO_ANSWERS},
            {"value": None, "note": OPEN}],
        "active_pairings": counts(0, 1, 2, 2, 2, 2, 2),
        "crossing_pairings": counts(0, 1, 2, 2, 1, 1, 1),
    }


def expected_network() -> dict[str, list[Any]]:
    found = expected_a()
    found.update({
        "heroes_joined_staff": counts(2, 0, 0, 1, 0, 0, 0),
        "heroes_joined_service_users": counts(0, 1, 0, 1, 0, 0, 0),
        "heroes_joined_community": counts(1, 0, 0, 0, 0, 0, 0),
        "big_i_share": counts(0, 0, 33.3, 33.3, 50, 0, 0),
        "kudos_given": counts(0, 0, 0, 0, 2, 1, 0),
        "nominations_granted": counts(0, 0, 0, 0, 0, 1, 0),
        "recognition_to_service_users_share": [{"value": None, "note": NOTHING}] * 4 + [
            {"value": 33.3}, {"value": 0.0}, {"value": None, "note": NOTHING}],
        "pulse_energised_empowered_share": [{"value": None, "note": NO_ANSWERS}] * 3 + [
            {"value": 50.0}, {"value": 100.0}, {"value": None, "note": NOT_SHOWN}, {"value": None, "note": OPEN}],
    })
    return found


def with_this_month(expected: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Counts of this month carry the 'so far' note (the pulse says it is still open)."""
    return {key: [*values[:-1], values[-1] if "note" in values[-1] else {**values[-1], "note": SO_FAR}]
            for key, values in expected.items()}


@dataclass
class Impact:
    api: GraphQLClient
    engine: AsyncEngine
    bootstrap: str
    topics: dict[str, str]
    group: str
    world: World
    tokens: Tokens

    async def published(self, sequence: list[tuple[Event, UUID]]) -> None:
        producer = new_producer(self.bootstrap, client_id="impact-test")
        await producer.start()
        try:
            for event, key in sequence:
                envelope = Envelope(id=uuid4(), source=event.source, type=event.ce_type(), time=datetime.now(UTC),
                                    key=str(key), data=event.to_payload())
                await producer.send_and_wait(self.topics[event.topic], envelope.value(), key=str(key).encode(),
                                             headers=envelope.headers())
        finally:
            await producer.stop()

    async def consumed(self, count: int) -> None:
        async def seen() -> bool:
            async with self.engine.connect() as connection:
                found = await connection.scalar(text("SELECT count(*) FROM inbox_messages WHERE consumer = :c"),
                                                {"c": self.group})
            assert found == count, f"{found} of {count} events consumed"
            return True
        await eventually(seen, timeout=60, interval=0.2)

    async def view(self, organisation: UUID | None, months: int = 7, token: str | None = None) -> dict[str, Any]:
        member = uuid4()
        await stand(self.engine, member, self.world.a, status="active", role="network_admin")
        token = token or self.tokens.mint(member, self.world.a, roles=("hero", "network_admin"))
        data = await self.api.data(IMPACT, {"org": str(organisation) if organisation else None, "months": months},
                                   token=token)
        impact: dict[str, Any] = data["networkImpact"]
        return impact



class Consumer:
    """The impact consumer group over this test's own topics; stopped and started for a replay."""

    def __init__(self, impact: Impact) -> None:
        self.impact = impact
        self.engine = create_engine(impact.engine.url.render_as_string(hide_password=False), pool_size=4)
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.stop = asyncio.Event()
        runner = ConsumerRunner(name=self.impact.group, bootstrap=self.impact.bootstrap,
                                sessions=session_factory(self.engine), topics=list(self.impact.topics.values()),
                                handlers=HANDLERS)
        self.task = asyncio.create_task(runner.run(self.stop))

    async def halt(self) -> None:
        self.stop.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 30)


@pytest.fixture(scope="module")
def impact_url(database_server_url: str) -> Iterator[str]:
    with migrated_database(database_server_url, SERVICE_DIR, "impact") as url:
        yield url


@pytest.fixture(scope="module")
async def impact(impact_url: str, kafka_bootstrap: str, tokens: Tokens) -> AsyncIterator[Impact]:
    settings = Settings(database_url=impact_url, kafka_bootstrap=kafka_bootstrap, jwks_file=tokens.jwks_file,
                        jwt_issuer=tokens.issuer, jwt_audience=tokens.audience,
                        gateway_secret=GATEWAY_TEST_SECRET, environment="production")
    suffix = secrets.token_hex(3)
    topics = {name: f"{name}.impact-{suffix}"
              for name in ("membership.events.v1", "projects.events.v1", "recognition.events.v1")}
    await ensure_topics(kafka_bootstrap, [TopicSpec(name, 3) for name in topics.values()]
                        + [TopicSpec(f"{name}.dlq", 1) for name in topics.values()])
    engine = create_engine(settings.dsn, pool_size=2)
    async with serve_app(create_app(settings)) as base, httpx.AsyncClient(timeout=15) as http:
        found = Impact(GraphQLClient(f"{base}/graphql", http, GATEWAY_TEST_SECRET), engine, kafka_bootstrap,
                       topics, f"projects.impact.test-{suffix}", World.new(), tokens)
        consumer = Consumer(found)
        await consumer.start()
        sequence = history(found.world)
        await found.published(sequence)
        await found.consumed(len(sequence))
        found.consumer = consumer  # type: ignore[attr-defined]
        yield found
        await consumer.halt()
        await consumer.engine.dispose()
    await engine.dispose()


def figures(view: dict[str, Any]) -> dict[str, list[Any]]:
    return {m["key"]: shown(m["values"]) for m in view["measures"]}


class TestFigures:
    async def test_every_monthly_value_of_one_organisation(self, impact: Impact) -> None:
        view = await impact.view(impact.world.a)

        assert view["organisationId"] == str(impact.world.a)
        assert view["ruleSet"] == "MDC"
        assert view["months"] == [impact.world.month(back) for back in range(6, -1, -1)]
        assert figures(view) == with_this_month(expected_a())

    async def test_every_monthly_value_of_the_whole_network(self, impact: Impact) -> None:
        view = await impact.view(None)

        assert view["organisationId"] is None
        assert figures(view) == with_this_month(expected_network())

    async def test_the_other_organisation_sees_only_its_own(self, impact: Impact) -> None:
        found = figures(await impact.view(impact.world.b))

        assert found["active_pairings"] == with_this_month({"x": counts(0, 0, 1, 1, 1, 1, 1)})["x"]
        assert found["heroes_joined_staff"] == with_this_month({"x": counts(0, 0, 0, 1, 0, 0, 0)})["x"]
        # Its only project began in the second month: before it, there is nothing to divide.
        assert found["big_i_share"] == with_this_month({"x": [{"value": None, "note": NOTHING},
                                                              *counts(0, 0, 0, 0, 0, 0)]})["x"]
        assert found["nominations_granted"] == with_this_month({"x": counts(0, 0, 0, 0, 0, 1, 0)})["x"]

    async def test_a_chart_over_complete_months_with_its_signals(self, impact: Impact) -> None:
        view = await impact.view(impact.world.a, months=12)
        [training] = [m for m in view["measures"] if m["key"] == "training_completions"]

        def first_day(back: int) -> str:
            return date.fromisoformat(f"{impact.world.month(back)}-01").isoformat()

        # Eleven complete months: nine of none, ten in one month, then none again. The ten is beyond
        # the upper limit (an improvement); the nine months before sit below the mean (a shift).
        assert training["chart"]["signals"] == [
            {"rule": "SHIFT", "nature": "CONCERN", "firstPointOn": first_day(11), "lastPointOn": first_day(3)},
            {"rule": "POINT_BEYOND_LIMITS", "nature": "IMPROVEMENT", "firstPointOn": first_day(2),
             "lastPointOn": first_day(2)},
        ]
        assert training["latest"] == 0.0
        assert training["unit"] == "COUNT"

    async def test_the_diagram_places_each_measure_under_its_driver(self, impact: Impact) -> None:
        view = await impact.view(None)
        drivers = {d["id"]: d for d in view["diagram"]["drivers"]}
        placed = {m["key"]: m["driverId"] for m in view["measures"]}

        assert view["diagram"]["aim"].startswith("Every hero, staff and service user alike")
        assert len(drivers) == 7
        assert all(placed.values())
        assert all(key in drivers[driver]["measureKeys"] for key, driver in placed.items())
        assert drivers[placed["big_i_share"]]["text"] == "Service users and carers as equal partners in improvement"


class TestPrivacy:
    async def test_no_pulse_figure_for_fewer_than_five_and_no_one_is_named(self, impact: Impact) -> None:
        network = await impact.view(None)
        b = await impact.view(impact.world.b)
        body = json.dumps([network, b])

        [pulse] = [m for m in b["measures"] if m["key"] == "pulse_energised_empowered_share"]
        assert shown(pulse["values"])[-2] == {"value": None, "note": NOT_SHOWN}
        assert not [person for person in impact.world.people if str(person) in body]
        async with impact.engine.connect() as connection:
            stored = (await connection.execute(text(
                "SELECT responses, positive FROM impact_pulse WHERE organisation_id = :b ORDER BY month"),
                {"b": impact.world.b})).all()
        assert [tuple(row) for row in stored] == [(5, 5), (3, None)]


class TestAccess:
    async def test_an_organisation_is_for_its_coordinators_and_the_network_for_everyone(self, impact: Impact) -> None:
        hero, coordinator = uuid4(), uuid4()
        await stand(impact.engine, hero, impact.world.a, status="active", role="hero")
        await stand(impact.engine, coordinator, impact.world.a, status="active", role="coordinator")
        hero_token = impact.tokens.mint(hero, impact.world.a, roles=("hero",))
        coordinator_token = impact.tokens.mint(coordinator, impact.world.a, roles=("hero", "coordinator"))
        ask = {"months": 3}

        assert await impact.api.error_code(IMPACT, {**ask, "org": None}) == "unauthenticated"
        assert await impact.api.error_code(IMPACT, {**ask, "org": str(impact.world.a)}, token=hero_token) == "forbidden"
        assert await impact.api.error_code(IMPACT, {**ask, "org": str(impact.world.b)},
                                           token=coordinator_token) == "forbidden"
        assert await impact.api.error_code(IMPACT, {"org": None, "months": 60}, token=hero_token) == "invalid_input"
        mine = await impact.api.data(IMPACT, {**ask, "org": str(impact.world.a)}, token=coordinator_token)
        network = await impact.api.data(IMPACT, {**ask, "org": None}, token=hero_token)
        assert mine["networkImpact"]["organisationId"] == str(impact.world.a)
        assert len(network["networkImpact"]["measures"]) == 19


DIAGRAM = "diagram { aim drivers { id text measureKeys } }"


class TestDiagram:
    async def test_an_administrator_edits_the_aim_and_drivers(self, impact: Impact) -> None:
        admin, hero = uuid4(), uuid4()
        await stand(impact.engine, admin, impact.world.a, status="active", role="network_admin")
        await stand(impact.engine, hero, impact.world.a, status="active", role="hero")
        admin_token = impact.tokens.mint(admin, impact.world.a, roles=("hero", "network_admin"))
        hero_token = impact.tokens.mint(hero, impact.world.a, roles=("hero",))

        added = await impact.api.data(
            f"mutation($i: AddNetworkDriverInput!) {{ addNetworkDriver(input: $i) {{ {DIAGRAM} }} }}",
            {"i": {"text": "  Partners   across the region  "}}, token=admin_token)
        new = added["addNetworkDriver"]["diagram"]["drivers"][-1]
        moved = await impact.api.data(
            f"mutation($i: AttachImpactMeasureInput!) {{ attachImpactMeasure(input: $i) {{ {DIAGRAM} }} }}",
            {"i": {"measureKey": "crossing_pairings", "driverId": new["id"]}}, token=admin_token)
        renamed = await impact.api.data(
            f"mutation($i: UpdateNetworkDriverInput!) {{ updateNetworkDriver(input: $i) {{ {DIAGRAM} }} }}",
            {"i": {"driverId": new["id"], "text": "Partners across the whole region"}}, token=admin_token)
        removed = await impact.api.data(
            f"mutation($i: RemoveNetworkDriverInput!) {{ removeNetworkDriver(input: $i) {{ {DIAGRAM} }} }}",
            {"i": {"driverId": new["id"]}}, token=admin_token)
        view = await impact.view(None)

        assert new["text"] == "Partners across the region"
        assert new["measureKeys"] == []
        assert moved["attachImpactMeasure"]["diagram"]["drivers"][-1]["measureKeys"] == ["crossing_pairings"]
        assert renamed["updateNetworkDriver"]["diagram"]["drivers"][-1]["text"] == "Partners across the whole region"
        assert [d["id"] for d in removed["removeNetworkDriver"]["diagram"]["drivers"]] == [
            d["id"] for d in added["addNetworkDriver"]["diagram"]["drivers"][:-1]]
        assert [m["driverId"] for m in view["measures"] if m["key"] == "crossing_pairings"] == [None]
        assert await impact.api.error_code(
            "mutation { setNetworkAim(input: {text: \"Ours now\"}) { diagram { aim } } }",
            token=hero_token) == "forbidden"
        assert await impact.api.error_code(
            "mutation($i: AttachImpactMeasureInput!) { attachImpactMeasure(input: $i) { diagram { aim } } }",
            {"i": {"measureKey": "no_such_measure"}}, token=admin_token) == "invalid_input"


class TestReplay:
    async def test_replaying_the_topics_from_the_start_gives_the_same_figures(self, impact: Impact) -> None:
        before = [await impact.view(impact.world.a, months=12), await impact.view(None, months=12)]
        consumer: Consumer = impact.consumer  # type: ignore[attr-defined]
        await consumer.halt()
        async with transaction(session_factory(impact.engine)) as session:
            await wipe_derived(session, consumer=impact.group)
        async with impact.engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM impact_facts")) == 0
        await reset_offsets(impact.bootstrap, impact.group, list(impact.topics.values()))

        await consumer.start()
        await impact.consumed(len(history(impact.world)))
        after = [await impact.view(impact.world.a, months=12), await impact.view(None, months=12)]

        assert after == before

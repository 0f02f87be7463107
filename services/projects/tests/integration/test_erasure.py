"""membership.member_erased, consumed from Kafka: the member leaves every team and their words go."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from projects.consumers import CONSUMER, TOPICS
from projects.domain import ERASED_TEXT
from projects.handlers import HANDLERS
from projects.inbound import MemberErased
from projects.settings import Settings
from servicekit.consumer import ConsumerRunner
from servicekit.db import create_engine, session_factory
from servicekit.envelope import Envelope
from servicekit.kafka import new_producer
from servicekit.testing import GraphQLClient, eventually
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, add_member, announce, outbox_of, propose, rows, scalar

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture(scope="session")
async def consumer(settings: Settings) -> AsyncIterator[ConsumerRunner]:
    engine = create_engine(settings.dsn, pool_size=2)
    runner = ConsumerRunner(
        name=CONSUMER,
        bootstrap=settings.kafka,
        sessions=session_factory(engine),
        topics=TOPICS,
        handlers=HANDLERS,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _assigned(runner), timeout=30)
    yield runner
    stop.set()
    await asyncio.wait_for(task, 20)
    await engine.dispose()


async def _assigned(runner: ConsumerRunner) -> bool:
    return runner.assigned.is_set()


async def publish_erasure(
    bootstrap: str, member_id: UUID, organisation_id: UUID, message_id: UUID
) -> None:
    event = MemberErased(
        member_id=member_id, organisation_id=organisation_id, erased_at=datetime.now(UTC)
    )
    envelope = Envelope(
        id=message_id,
        source=event.source,
        type=event.ce_type(),
        time=datetime.now(UTC),
        key=str(member_id),
        data=event.to_payload(),
    )
    producer = new_producer(bootstrap, client_id="projects-erasure-test")
    await producer.start()
    try:
        await producer.send_and_wait(
            event.topic, envelope.value(), key=str(member_id).encode(), headers=envelope.headers()
        )
    finally:
        await producer.stop()


class TestMemberErased:
    async def test_the_member_leaves_every_team_as_an_anonymous_placeholder_and_their_words_go(
        self,
        api: GraphQLClient,
        network: Network,
        engine: AsyncEngine,
        consumer: ConsumerRunner,
        kafka_bootstrap: str,
    ) -> None:
        lead, partner = await network.hero(), await network.hero(network.voice)
        await announce(engine, lead, partner)
        project_id = await propose(api, lead, visibility="NETWORK")
        await add_member(api, lead, project_id, partner, "SERVICE_USER_PARTNER")
        idea = await api.data(
            """mutation($i: AddDriverInput!) { addDriver(input: $i) { driver { id } } }""",
            {"i": {"projectId": project_id, "text": "Night care"}},
            token=lead.token,
        )
        change = await api.data(
            """mutation($i: AddChangeIdeaInput!) { addChangeIdea(input: $i) { changeIdea { id } } }""",
            {
                "i": {
                    "projectId": project_id,
                    "driverId": idea["addDriver"]["driver"]["id"],
                    "title": "Rounding",
                }
            },
            token=lead.token,
        )
        cycle = await api.data(
            """mutation($i: StartPdsaCycleInput!) { startPdsaCycle(input: $i) { cycle { id } } }""",
            {
                "i": {
                    "changeIdeaId": change["addChangeIdea"]["changeIdea"]["id"],
                    "plan": "My mum and I will try it",
                    "prediction": "She sleeps better",
                }
            },
            token=partner.token,
        )
        message = uuid4()

        await publish_erasure(kafka_bootstrap, partner.member_id, network.voice, message)
        await publish_erasure(
            kafka_bootstrap, partner.member_id, network.voice, message
        )  # delivered twice

        async def anonymised() -> bool:
            count: int = await scalar(
                engine, "SELECT count(*) FROM team_members WHERE is_anonymised AND project_id = :p", p=project_id
            )
            return count == 1

        await eventually(anonymised, timeout=20)
        data = await api.data(
            """query($id: ID!) { project(id: $id) { bigI
            team { member { id } role } everyone: team(includeFormer: true) { member { id } role isErasedMember leftAt }
            pdsaCycles { plan prediction startedBy { id } } } }""",
            {"id": project_id},
        )
        project = data["project"]
        assert project["bigI"] is False
        assert project["team"] == [{"member": {"id": lead.id}, "role": "LEAD"}]
        assert [(m["member"], m["role"], m["isErasedMember"]) for m in project["everyone"]] == [
            ({"id": lead.id}, "LEAD", False),
            (None, "SERVICE_USER_PARTNER", True),
        ]
        assert project["pdsaCycles"] == [
            {"plan": ERASED_TEXT, "prediction": ERASED_TEXT, "startedBy": None}
        ]
        assert cycle["startPdsaCycle"]["cycle"]["id"]
        assert await scalar(engine, "SELECT visibility FROM member_visibility WHERE member_id = :m",
                            m=partner.id) == "hidden"
        assert (
            await rows(engine, "SELECT id FROM team_members WHERE member_id = :m", m=partner.id)
            == []
        )
        left = [
            p for t, p in await outbox_of(engine, project_id) if t.endswith("team_member_left.v1")
        ]
        assert [(p["member_id"], p["role"]) for p in left] == [(partner.id, "service_user_partner")]
        assert (
            await scalar(
                engine, "SELECT count(*) FROM inbox_messages WHERE message_id = :m", m=message
            )
            == 1
        )


class TestErasedWordsOnData:
    async def test_a_note_added_in_a_correction_goes_with_its_author(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine, settings: Settings
    ) -> None:
        from datetime import UTC, datetime

        from projects import service
        from servicekit.db import session_factory, transaction

        lead, helper = await network.hero(), await network.hero()
        await announce(engine, lead, helper)
        project_id = await propose(api, lead, visibility="NETWORK")
        await add_member(api, lead, project_id, helper, "MEMBER")
        measure = await api.data(
            "mutation($i: DefineMeasureInput!) { defineMeasure(input: $i) { measure { id } } }",
            {"i": {"projectId": project_id, "name": "Falls", "kind": "OUTCOME", "unit": "falls",
                   "improvementDirection": "DOWN"}}, token=lead.token)
        point = await api.data(
            "mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) { point { id } } }",
            {"i": {"measureId": measure["defineMeasure"]["measure"]["id"], "on": "2026-02-02", "value": 4}},
            token=lead.token)
        point_id = point["recordMeasurement"]["point"]["id"]
        for value, note, who in ((5, "My dad fell twice, I counted", helper), (6, None, lead)):
            await api.data(
                "mutation($i: CorrectMeasurementInput!) { correctMeasurement(input: $i) { point { id } } }",
                {"i": {"pointId": point_id, "value": value, "reason": "Recounted",
                       **({"annotation": note} if note else {})}}, token=who.token)

        async with transaction(session_factory(engine)) as session:
            await service.erase_member(session, member_id=helper.member_id, erased_at=datetime.now(UTC))

        data = await api.data("query($id: ID!) { project(id: $id) { measures { dataPoints { edges { node "
                              "{ annotation } } } } } }", {"id": project_id})
        assert data["project"]["measures"][0]["dataPoints"]["edges"] == [{"node": {"annotation": None}}]
        assert await scalar(
            engine, "SELECT count(*) FROM measurement_revisions r JOIN measurements m ON m.id = r.measurement_id "
            "WHERE m.id = :p AND ('My dad fell twice, I counted' IN (r.annotation, r.previous_annotation) "
            "OR m.annotation = 'My dad fell twice, I counted')", p=point_id) == 0

"""Events reach Kafka through the outbox relay with the documented type, key, source and payload."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from projects.settings import Settings
from servicekit.relay import Relay
from servicekit.testing import GraphQLClient, eventually, header, read_topic

from ..conftest import Network, add_member, propose

pytestmark = pytest.mark.asyncio(loop_scope="session")

TOPIC = "projects.events.v1"


@pytest.fixture(scope="session")
async def relay(settings: Settings) -> AsyncIterator[Relay]:
    stop = asyncio.Event()
    relay = Relay(
        service="projects", database_url=settings.dsn, bootstrap=settings.kafka, poll_interval=0.2
    )
    task = asyncio.create_task(relay.run(stop))
    await eventually(lambda: _active(relay), timeout=20)
    yield relay
    stop.set()
    await asyncio.wait_for(task, 20)


async def _active(relay: Relay) -> bool:
    return relay.active.is_set()


async def project_events(bootstrap: str, project_id: str, count: int) -> list[Any]:
    records = await read_topic(
        bootstrap,
        TOPIC,
        until=lambda found: sum(1 for r in found if r.key == project_id.encode()) >= count,
    )
    return [r for r in records if r.key == project_id.encode()]


class TestEventsOnKafka:
    async def test_a_projects_life_arrives_in_order_with_documented_payloads(
        self, api: GraphQLClient, network: Network, relay: Relay, kafka_bootstrap: str
    ) -> None:
        import json

        lead, partner = network.hero(), network.hero(network.voice)
        project_id = await propose(
            api,
            lead,
            visibility="ORGANISATION",
            aim={"what": "Fewer falls", "howMuch": "a third", "byWhen": "2027-01-01"},
        )
        await add_member(api, lead, project_id, partner, "SERVICE_USER_PARTNER")
        await api.data(
            "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { id } } }",
            {"i": {"projectId": project_id, "visibility": "NETWORK"}},
            token=lead.token,
        )
        await api.data(
            "mutation($i: AdvanceStageInput!) { advanceStage(input: $i) { project { id } } }",
            {"i": {"projectId": project_id, "toStage": "SCOPING"}},
            token=lead.token,
        )
        measure = await api.data(
            """mutation($i: DefineMeasureInput!) { defineMeasure(input: $i) { measure { id } } }""",
            {
                "i": {
                    "projectId": project_id,
                    "name": "Falls",
                    "kind": "OUTCOME",
                    "unit": "falls",
                    "improvementDirection": "DOWN",
                }
            },
            token=lead.token,
        )
        measure_id = measure["defineMeasure"]["measure"]["id"]
        point = await api.data(
            """mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) { point { id } } }""",
            {"i": {"measureId": measure_id, "on": "2026-02-02", "value": 4}},
            token=lead.token,
        )
        await api.data(
            "mutation($i: LeaveProjectInput!) { leaveProject(input: $i) { project { id } } }",
            {"i": {"projectId": project_id}},
            token=partner.token,
        )

        records = await project_events(kafka_bootstrap, project_id, 8)

        by_type = [(header(r, "ce_type"), json.loads(r.value)) for r in records]
        assert [t for t, _ in by_type] == [
            "network.heroes.projects.project_proposed.v1",
            "network.heroes.projects.team_member_added.v1",
            "network.heroes.projects.team_member_added.v1",
            "network.heroes.projects.project_visibility_changed.v1",
            "network.heroes.projects.stage_advanced.v1",
            "network.heroes.projects.measure_defined.v1",
            "network.heroes.projects.measurement_recorded.v1",
            "network.heroes.projects.team_member_left.v1",
        ]
        assert {header(r, "ce_source") for r in records} == {"/projects"}
        org = str(network.riverside)
        payloads = [p for _, p in by_type]
        assert payloads[0] == {
            "project_id": project_id,
            "organisation_id": org,
            "proposed_by": lead.id,
            "visibility": "organisation",
            "stage": "idea",
            "proposed_at": payloads[0]["proposed_at"],
        }
        assert payloads[2] == {
            "project_id": project_id,
            "organisation_id": org,
            "member_id": partner.id,
            "role": "service_user_partner",
            "added_at": payloads[2]["added_at"],
        }
        assert payloads[3] == {
            "project_id": project_id,
            "organisation_id": org,
            "visibility": "network",
            "changed_at": payloads[3]["changed_at"],
        }
        assert payloads[4] == {
            "project_id": project_id,
            "organisation_id": org,
            "from_stage": "idea",
            "to_stage": "scoping",
            "advanced_at": payloads[4]["advanced_at"],
        }
        assert payloads[5] == {
            "project_id": project_id,
            "organisation_id": org,
            "measure_id": measure_id,
            "kind": "outcome",
            "improvement_direction": "down",
            "defined_at": payloads[5]["defined_at"],
        }
        assert payloads[6] == {
            "project_id": project_id,
            "organisation_id": org,
            "measure_id": measure_id,
            "point_id": point["recordMeasurement"]["point"]["id"],
            "recorded_at": payloads[6]["recorded_at"],
        }
        assert payloads[7] == {
            "project_id": project_id,
            "organisation_id": org,
            "member_id": partner.id,
            "role": "service_user_partner",
            "left_at": payloads[7]["left_at"],
        }

    async def test_no_event_carries_free_text(
        self, api: GraphQLClient, network: Network, relay: Relay, kafka_bootstrap: str
    ) -> None:
        lead = network.hero()
        project_id = await propose(
            api, lead, title="A very distinctive title zebra", summary="A secret summary zebra"
        )
        records = await project_events(kafka_bootstrap, project_id, 2)
        assert all(b"zebra" not in r.value for r in records)

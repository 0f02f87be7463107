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

        lead, partner = await network.hero(), await network.hero(network.voice)
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
        lead = await network.hero()
        project_id = await propose(
            api, lead, title="A very distinctive title zebra", summary="A secret summary zebra"
        )
        records = await project_events(kafka_bootstrap, project_id, 2)
        assert all(b"zebra" not in r.value for r in records)


class TestWorkEventsOnKafka:
    async def test_diagram_pdsa_correction_signal_and_closure_events_arrive_with_their_payloads(
        self, api: GraphQLClient, network: Network, relay: Relay, kafka_bootstrap: str
    ) -> None:
        import json

        lead = await network.hero()
        project_id = await propose(api, lead, aim={"what": "Fewer falls", "howMuch": "a third", "byWhen": "2027-01-01"})

        async def mutate(query: str, values: dict[str, Any]) -> dict[str, Any]:
            return await api.data(query, {"i": values}, token=lead.token)

        primary = await mutate("mutation($i: AddDriverInput!) { addDriver(input: $i) { driver { id } } }",
                               {"projectId": project_id, "text": "Safe mobility at night"})
        driver = primary["addDriver"]["driver"]["id"]
        idea = await mutate("mutation($i: AddChangeIdeaInput!) { addChangeIdea(input: $i) { changeIdea { id } } }",
                            {"projectId": project_id, "driverId": driver, "title": "Comfort rounds"})
        idea_id = idea["addChangeIdea"]["changeIdea"]["id"]
        cycle = await mutate("mutation($i: StartPdsaCycleInput!) { startPdsaCycle(input: $i) { cycle { id } } }",
                             {"changeIdeaId": idea_id, "plan": "One bay, three nights", "prediction": "No falls"})
        cycle_id = cycle["startPdsaCycle"]["cycle"]["id"]
        await mutate("mutation($i: StudyPdsaCycleInput!) { studyPdsaCycle(input: $i) { cycle { id } } }",
                     {"cycleId": cycle_id, "whatHappened": "No falls"})
        await mutate("mutation($i: CompletePdsaCycleInput!) { completePdsaCycle(input: $i) { cycle { id } } }",
                     {"cycleId": cycle_id, "decision": "ADOPT"})
        measure = await mutate("mutation($i: DefineMeasureInput!) { defineMeasure(input: $i) { measure { id } } }",
                               {"projectId": project_id, "name": "Falls", "kind": "OUTCOME", "unit": "falls",
                                "improvementDirection": "DOWN"})
        measure_id = measure["defineMeasure"]["measure"]["id"]
        first_point = None
        for week, value in enumerate([20, 21, 19, 20, 22, 20, 21, 12, 11, 12, 11, 12, 11, 12]):
            on = f"2026-0{1 + week // 4}-{1 + 7 * (week % 4):02d}"
            point = await mutate("mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) "
                                 "{ point { id } } }", {"measureId": measure_id, "on": on, "value": value})
            first_point = first_point or point["recordMeasurement"]["point"]["id"]
        await mutate("mutation($i: CorrectMeasurementInput!) { correctMeasurement(input: $i) { point { id } } }",
                     {"pointId": first_point, "value": 19, "reason": "Miscounted"})
        await mutate("mutation($i: AdvanceStageInput!) { advanceStage(input: $i) { project { id } } }",
                     {"projectId": project_id, "toStage": "ABANDONED"})

        wanted = {"driver_added", "change_idea_added", "pdsa_cycle_started", "pdsa_cycle_studied",
                  "pdsa_cycle_completed", "measurement_corrected", "measure_signal_detected", "project_closed"}
        records = await read_topic(kafka_bootstrap, TOPIC, until=lambda found: wanted <= {
            (header(r, "ce_type") or "").split(".")[3] for r in found if r.key == project_id.encode()})
        mine = [(header(r, "ce_type"), json.loads(r.value)) for r in records if r.key == project_id.encode()]
        payload = {t.split(".")[3]: p for t, p in mine if t}
        org = str(network.riverside)

        assert payload["driver_added"] == {"project_id": project_id, "organisation_id": org, "driver_id": driver,
                                           "level": "primary", "parent_driver_id": None,
                                           "added_at": payload["driver_added"]["added_at"]}
        assert payload["change_idea_added"]["change_idea_id"] == idea_id
        assert payload["pdsa_cycle_started"]["cycle_id"] == cycle_id
        assert payload["pdsa_cycle_studied"]["studied_by"] == lead.id
        assert {k: payload["pdsa_cycle_completed"][k] for k in ("cycle_id", "change_idea_id", "decision",
                                                                "completed_by")} == {
            "cycle_id": cycle_id, "change_idea_id": idea_id, "decision": "adopt", "completed_by": lead.id}
        assert payload["measurement_corrected"]["point_id"] == first_point
        signal = next(p for t, p in mine
                      if t is not None and t.endswith("measure_signal_detected.v1") and p["nature"] == "improvement")
        assert {k: signal[k] for k in ("measure_id", "measure_kind", "rule_set")} == {
            "measure_id": measure_id, "measure_kind": "outcome", "rule_set": "mdc"}
        assert payload["project_closed"]["outcome"] == "abandoned"
        assert all(b"Comfort rounds" not in r.value and b"Miscounted" not in r.value for r in records)

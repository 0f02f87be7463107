"""Driver diagrams, PDSA cycles and measures over HTTP, with their events and the chart."""


import pytest
from servicekit.testing import GraphQLClient
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, Person, outbox_of, propose, scalar

pytestmark = pytest.mark.asyncio(loop_scope="session")

ADD_DRIVER = "mutation($i: AddDriverInput!) { addDriver(input: $i) { driver { id level } } }"
ADD_IDEA = (
    "mutation($i: AddChangeIdeaInput!) { addChangeIdea(input: $i) { changeIdea { id title } } }"
)
START = "mutation($i: StartPdsaCycleInput!) { startPdsaCycle(input: $i) { cycle { id number status } } }"
STUDY = "mutation($i: StudyPdsaCycleInput!) { studyPdsaCycle(input: $i) { cycle { status } } }"
COMPLETE = """mutation($i: CompletePdsaCycleInput!) { completePdsaCycle(input: $i) {
  cycle { status decision } nextCycle { id number previousCycleId status } } }"""
DEFINE = "mutation($i: DefineMeasureInput!) { defineMeasure(input: $i) { measure { id effectiveRuleSet } } }"
RECORD = """mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) {
  point { id value } newSignals { rule nature firstPointOn lastPointOn } } }"""


async def diagram(api: GraphQLClient, lead: Person, project_id: str) -> str:
    """A primary driver, a secondary under it and a change idea under that; returns the idea's id."""
    primary = (
        await api.data(
            ADD_DRIVER,
            {"i": {"projectId": project_id, "text": "Safe mobility at night"}},
            token=lead.token,
        )
    )["addDriver"]["driver"]
    secondary = (
        await api.data(
            ADD_DRIVER,
            {
                "i": {
                    "projectId": project_id,
                    "text": "Getting to the toilet safely",
                    "parentDriverId": primary["id"],
                }
            },
            token=lead.token,
        )
    )["addDriver"]["driver"]
    idea = await api.data(
        ADD_IDEA,
        {
            "i": {
                "projectId": project_id,
                "driverId": secondary["id"],
                "title": "Two-hourly rounding",
            }
        },
        token=lead.token,
    )
    return str(idea["addChangeIdea"]["changeIdea"]["id"])


class TestDriverDiagram:
    async def test_the_whole_tree_comes_back_in_one_query(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead = await network.hero()
        project_id = await propose(
            api, lead, aim={"what": "Fewer falls", "howMuch": "a third", "byWhen": "2027-01-01"}
        )
        await diagram(api, lead, project_id)

        data = await api.data(
            """query($id: ID!) { project(id: $id) { driverDiagram { aim primaryDrivers {
            text level changeIdeas { title } secondaryDrivers { text level secondaryDrivers { text }
            changeIdeas { title pdsaCycles { id } } } } } } }""",
            {"id": project_id},
            token=lead.token,
        )

        assert data["project"]["driverDiagram"] == {
            "aim": "Fewer falls by a third by 1 January 2027.",
            "primaryDrivers": [
                {
                    "text": "Safe mobility at night",
                    "level": "PRIMARY_DRIVER",
                    "changeIdeas": [],
                    "secondaryDrivers": [
                        {
                            "text": "Getting to the toilet safely",
                            "level": "SECONDARY_DRIVER",
                            "secondaryDrivers": [],
                            "changeIdeas": [{"title": "Two-hourly rounding", "pdsaCycles": []}],
                        }
                    ],
                }
            ],
        }

    async def test_a_driver_three_levels_deep_is_refused(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)
        primary = await api.data(
            ADD_DRIVER, {"i": {"projectId": project_id, "text": "A"}}, token=lead.token
        )
        secondary = await api.data(
            ADD_DRIVER,
            {
                "i": {
                    "projectId": project_id,
                    "text": "B",
                    "parentDriverId": primary["addDriver"]["driver"]["id"],
                }
            },
            token=lead.token,
        )
        code = await api.error_code(
            ADD_DRIVER,
            {
                "i": {
                    "projectId": project_id,
                    "text": "C",
                    "parentDriverId": secondary["addDriver"]["driver"]["id"],
                }
            },
            token=lead.token,
        )
        assert code == "invalid_input"


class TestPdsa:
    async def test_plan_study_adapt_starts_a_linked_cycle(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)
        idea = await diagram(api, lead, project_id)

        cycle = (
            await api.data(
                START,
                {
                    "i": {
                        "changeIdeaId": idea,
                        "plan": "Round every two hours on nights",
                        "prediction": "Fewer unwitnessed falls",
                    }
                },
                token=lead.token,
            )
        )["startPdsaCycle"]["cycle"]
        assert (cycle["number"], cycle["status"]) == (1, "TESTING")
        too_soon = await api.error_code(
            COMPLETE, {"i": {"cycleId": cycle["id"], "decision": "ADOPT"}}, token=lead.token
        )
        assert too_soon == "pdsa_cycle_not_studied"
        assert (
            await scalar(engine, "SELECT status FROM pdsa_cycles WHERE id = :id", id=cycle["id"])
            == "testing"
        )

        await api.data(
            STUDY,
            {"i": {"cycleId": cycle["id"], "whatHappened": "Two falls, not five"}},
            token=lead.token,
        )
        done = await api.data(
            COMPLETE,
            {
                "i": {
                    "cycleId": cycle["id"],
                    "decision": "ADAPT",
                    "notes": "Try hourly",
                    "nextCycle": {"plan": "Round hourly", "prediction": "Fewer still"},
                }
            },
            token=lead.token,
        )

        following = done["completePdsaCycle"]["nextCycle"]
        assert done["completePdsaCycle"]["cycle"] == {"status": "COMPLETED", "decision": "ADAPT"}
        assert (following["number"], following["previousCycleId"], following["status"]) == (
            2,
            cycle["id"],
            "TESTING",
        )
        events = [(t.split(".")[-2], p) for t, p in await outbox_of(engine, project_id)]
        completed = [p for name, p in events if name == "pdsa_cycle_completed"]
        assert completed == [
            {
                "project_id": project_id,
                "organisation_id": str(network.riverside),
                "cycle_id": cycle["id"],
                "change_idea_id": idea,
                "decision": "adapt",
                "completed_by": lead.id,
                "completed_at": completed[0]["completed_at"],
            }
        ]
        started = [p["cycle_id"] for name, p in events if name == "pdsa_cycle_started"]
        assert started == [cycle["id"], following["id"]]

    async def test_only_adapt_starts_a_next_cycle_and_nothing_changes(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        idea = await diagram(api, lead, await propose(api, lead))
        cycle = (
            await api.data(
                START,
                {"i": {"changeIdeaId": idea, "plan": "p", "prediction": "q"}},
                token=lead.token,
            )
        )["startPdsaCycle"]["cycle"]
        await api.data(
            STUDY, {"i": {"cycleId": cycle["id"], "whatHappened": "w"}}, token=lead.token
        )

        code = await api.error_code(
            COMPLETE,
            {
                "i": {
                    "cycleId": cycle["id"],
                    "decision": "ADOPT",
                    "nextCycle": {"plan": "p2", "prediction": "q2"},
                }
            },
            token=lead.token,
        )

        assert code == "next_cycle_needs_adapt"
        assert (
            await scalar(
                engine, "SELECT count(*) FROM pdsa_cycles WHERE change_idea_id = :i", i=idea
            )
            == 1
        )
        assert (
            await scalar(engine, "SELECT status FROM pdsa_cycles WHERE id = :id", id=cycle["id"])
            == "studied"
        )



class TestEditingTheDiagram:
    REMOVE = ("mutation($i: RemoveDiagramItemInput!) { removeDiagramItem(input: $i) { project { driverDiagram "
              "{ primaryDrivers { text } } } } }")

    async def test_rewording_and_removing_a_part_without_cycles(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)
        driver = await api.data(
            ADD_DRIVER, {"i": {"projectId": project_id, "text": "Old wording"}}, token=lead.token
        )
        driver_id = driver["addDriver"]["driver"]["id"]
        await api.data(
            ADD_IDEA,
            {"i": {"projectId": project_id, "driverId": driver_id, "title": "An idea"}},
            token=lead.token,
        )

        reworded = await api.data(
            """mutation($i: UpdateDiagramItemInput!) { updateDiagramItem(input: $i) {
                 project { driverDiagram { primaryDrivers { text } } } } }""",
            {"i": {"projectId": project_id, "itemId": driver_id, "text": "New wording"}},
            token=lead.token,
        )
        removed = await api.data(
            self.REMOVE, {"i": {"projectId": project_id, "itemId": driver_id}}, token=lead.token
        )

        assert reworded["updateDiagramItem"]["project"]["driverDiagram"] == {
            "primaryDrivers": [{"text": "New wording"}]
        }
        assert removed["removeDiagramItem"]["project"]["driverDiagram"] == {"primaryDrivers": []}
        [event] = [
            p
            for t, p in await outbox_of(engine, project_id)
            if t.endswith("diagram_item_removed.v1")
        ]
        assert (event["item_id"], event["kind"], event["items_removed"]) == (
            driver_id,
            "primary_driver",
            2,
        )

    async def test_a_part_with_pdsa_cycles_is_kept(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)
        idea = await diagram(api, lead, project_id)
        await api.data(
            START, {"i": {"changeIdeaId": idea, "plan": "p", "prediction": "q"}}, token=lead.token
        )

        code = await api.error_code(
            self.REMOVE, {"i": {"projectId": project_id, "itemId": idea}}, token=lead.token
        )

        assert code == "diagram_item_in_use"
        assert (
            await scalar(
                engine, "SELECT count(*) FROM diagram_items WHERE project_id = :p", p=project_id
            )
            == 3
        )
